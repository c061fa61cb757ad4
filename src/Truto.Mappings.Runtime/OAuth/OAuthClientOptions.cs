namespace Truto.Mappings.OAuth;

/// <summary>
/// The operator's OAuth app at one provider (configuration <c>Providers:{name}:ClientId</c>,
/// <c>:ClientSecret</c>, <c>:TokenUrl</c>, <c>:AuthorizeUrl</c>). Never from YAML or accounts.
/// </summary>
/// <remarks>A class, not a record: a record's generated <c>ToString</c> would print the secret.</remarks>
public sealed class OAuthClientOptions
{
    /// <summary>The OAuth app's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth app's client secret; never logged, never in an error.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Replaces the YAML's token URL for every account (a simulator); trusted as the operator's, like <c>BaseUrl</c>.</summary>
    public string? TokenUrl { get; set; }

    /// <summary>Replaces the YAML's authorize URL (a simulator); the connect flow reads it.</summary>
    public string? AuthorizeUrl { get; set; }
}
