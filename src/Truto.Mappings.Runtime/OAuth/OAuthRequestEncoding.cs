namespace Truto.Mappings.OAuth;

/// <summary>How token requests are encoded (YAML <c>request_encoding</c>).</summary>
public enum OAuthRequestEncoding
{
    /// <summary><c>application/x-www-form-urlencoded</c>, as RFC 6749 says (the default).</summary>
    Form,

    /// <summary>A JSON object (providers that accept only JSON).</summary>
    Json,
}
