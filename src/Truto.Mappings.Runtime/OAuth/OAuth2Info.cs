namespace Truto.Mappings.OAuth;

/// <summary>
/// A provider's OAuth 2.0 authorization-code flow as its YAML <c>oauth2:</c> block declares it:
/// everything but the URLs, which may depend on the account (Zoho's data centre, Salesforce's
/// login or test server) and are built by <see cref="Adapters.ProviderAdapter.BuildOAuthAuthorizeUrl"/>
/// and <see cref="Adapters.ProviderAdapter.BuildOAuthTokenUrl"/>. Client ids and secrets are never
/// here: they come from configuration (<c>Providers:{name}:ClientId</c>, <c>:ClientSecret</c>).
/// </summary>
/// <param name="Scopes">
/// The scopes asked for at authorization, in order, as declared: a scope may be a template over the
/// account's context (Entra ID's <c>{{context.instance_url}}/user_impersonation</c>), built by
/// <see cref="Adapters.ProviderAdapter.BuildOAuthScope"/> (see <see cref="ScopeContextKeys"/>).
/// </param>
/// <param name="ScopeSeparator">What joins <paramref name="Scopes"/> in the <c>scope</c> parameter (a space unless the provider wants another).</param>
/// <param name="AuthorizeParameters">Extra authorize-URL parameters (Zoho <c>access_type=offline</c>, <c>prompt=consent</c>), in order.</param>
/// <param name="Pkce">True when the flow uses PKCE (S256 code challenge).</param>
/// <param name="ClientAuthentication">How the client id and secret reach the token endpoint.</param>
/// <param name="RequestEncoding">How token requests are encoded.</param>
/// <param name="TokenValues">
/// Provider-specific members of the token answer copied into the account's context besides the
/// standard ones (Salesforce <c>instance_url</c>, Zoho <c>api_domain</c>).
/// </param>
/// <param name="ExpiredTokenCodes">
/// Provider error codes (read with the YAML's <c>errors.code</c> path) that mean "the access token
/// expired" besides an HTTP 401: Salesforce <c>INVALID_SESSION_ID</c>, Zoho <c>INVALID_TOKEN</c>.
/// </param>
public sealed record OAuth2Info(
    IReadOnlyList<string> Scopes,
    string ScopeSeparator,
    IReadOnlyList<KeyValuePair<string, string>> AuthorizeParameters,
    bool Pkce,
    OAuthClientAuthentication ClientAuthentication,
    OAuthRequestEncoding RequestEncoding,
    IReadOnlyList<OAuthTokenValue> TokenValues,
    IReadOnlyList<string> ExpiredTokenCodes)
{
    /// <summary>
    /// Parameters of the authorization response written into the context before the code exchange
    /// (Zoho's <c>accounts-server</c>, which the token URL is built from); none by default.
    /// </summary>
    public IReadOnlyList<OAuthCallbackValue> CallbackValues { get; init; } = [];

    /// <summary>
    /// The context keys the scopes read (Entra ID's <c>instance_url</c>); empty when the scopes are
    /// constants. They are checked by their shapes before a scope is sent (<see cref="OAuthScope"/>).
    /// </summary>
    public IReadOnlyList<string> ScopeContextKeys { get; init; } = [];

    /// <summary>
    /// True when the code exchange and every refresh send the <c>scope</c> parameter too, as Entra
    /// ID v2 expects; otherwise only the authorize URL carries it.
    /// </summary>
    public bool ScopeOnTokenRequests { get; init; }

    /// <summary>
    /// Where an operator registers the OAuth app whose client id and secret the server uses (the
    /// provider's developer console, or its page on registering one); null when the YAML names none.
    /// Documentation only: the flow never reads it.
    /// </summary>
    public string? AppRegistrationUrl { get; init; }

    /// <summary>
    /// The scopes to choose in the app's settings where the provider's authorize URL takes none
    /// (<see cref="Scopes"/> is then empty): what an operator grants when registering the app. Empty otherwise.
    /// Documentation only: the flow never sends them.
    /// </summary>
    public IReadOnlyList<string> AppScopes { get; init; } = [];

    /// <summary>
    /// How long the provider's access tokens live as its documentation states it
    /// (<c>access_token_lifetime</c>), <see cref="Timeout.InfiniteTimeSpan"/> when they never expire,
    /// or null when undocumented. Documentation only: expiry is read from each token answer's <c>expires_in</c>.
    /// </summary>
    public TimeSpan? AccessTokenLifetime { get; init; }

    /// <summary>What the provider does with refresh tokens (<c>refresh_tokens</c>), or null when the YAML does not say. Documentation only: the token client stores whichever refresh token an answer carries.</summary>
    public OAuthRefreshTokens? RefreshTokens { get; init; }
}
