namespace Truto.Mappings.OAuth;

/// <summary>How the client id and secret reach a provider's token endpoint (YAML <c>client_authentication</c>).</summary>
public enum OAuthClientAuthentication
{
    /// <summary><c>client_id</c> and <c>client_secret</c> in the request body (the default).</summary>
    Body,

    /// <summary>HTTP Basic authentication with the client id and secret (RFC 6749 §2.3.1).</summary>
    Basic,
}
