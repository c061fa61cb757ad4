using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Formats;

namespace Truto.Mappings.Adapters;

/// <summary>
/// A provider's compiled mapping: what is the same for every operation (base URL, auth, common
/// headers, error bodies, rate-limit headers). Subclasses are generated from
/// <c>mappings/providers/*.yaml</c>; each operation the provider maps is a
/// <see cref="ProviderOperation"/> nested in it. The runtime never needs to know which provider it
/// is talking to.
/// </summary>
public abstract class ProviderAdapter
{
    /// <summary>Name, display name, context keys, the operations it maps and its request rate.</summary>
    public abstract ProviderInfo Info { get; }

    /// <summary>The provider's base URL for an account (from the YAML's <c>base_url</c> template).</summary>
    public abstract string BuildBaseUrl(AccountContext context);

    /// <summary>Adds the authentication headers. Everything added here is a secret.</summary>
    public abstract void Authenticate(ProviderRequest request, AccountContext context);

    /// <summary>
    /// The provider's authorize URL (YAML <c>oauth2.authorize_url</c>) for the values known when an
    /// account is connected (a data centre, a login server); null when it has no <c>oauth2</c> block.
    /// Configuration <c>Providers:{name}:AuthorizeUrl</c> replaces it (simulators).
    /// </summary>
    public virtual string? BuildOAuthAuthorizeUrl(AccountContext context) => null;

    /// <summary>
    /// The provider's token URL (YAML <c>oauth2.token_url</c>) for an account; null when it has no
    /// <c>oauth2</c> block. Configuration <c>Providers:{name}:TokenUrl</c> replaces it (simulators).
    /// </summary>
    public virtual string? BuildOAuthTokenUrl(AccountContext context) => null;

    /// <summary>
    /// The <c>scope</c> parameter for an account (YAML <c>oauth2.scopes</c>, joined by its
    /// separator), or null when the provider declares no scopes. Constant scopes are joined here;
    /// adapters whose scopes read the context (<see cref="OAuth.OAuth2Info.ScopeContextKeys"/>) build
    /// them, and a missing key is a <see cref="MissingContextKeyException"/> naming it. Callers check
    /// the keys' shapes first (<see cref="OAuth.OAuthScope"/>).
    /// </summary>
    public virtual string? BuildOAuthScope(AccountContext context)
        => Info.OAuth2 is { Scopes.Count: > 0 } oauth ? string.Join(oauth.ScopeSeparator, oauth.Scopes) : null;

    /// <summary>Adds the headers every request of the provider carries (the YAML's top-level <c>headers</c>).</summary>
    public virtual void AddHeaders(ProviderRequest request, AccountContext context)
    {
    }

    /// <summary>The error message at the provider's error path, if the body has one there.</summary>
    public virtual string? ReadErrorMessage(JsonElement body) => null;

    /// <summary>The provider's error code, if it declares where that is.</summary>
    public virtual string? ReadErrorCode(JsonElement body) => null;

    /// <summary>The HTTP status the YAML assigns to an error code, if any.</summary>
    public virtual int? StatusForErrorCode(string code) => null;

    /// <summary>True when the error code means "rate limited" (e.g. Salesforce's 403 REQUEST_LIMIT_EXCEEDED).</summary>
    public virtual bool IsRateLimitCode(string code) => false;

    /// <summary>True when the error code means "already deleted" and the YAML counts that as success.</summary>
    public virtual bool IsGoneCode(string code) => false;

    /// <summary>Reads the provider's rate-limit headers into the normalised form.</summary>
    /// <param name="header">Looks a response header up by name (case-insensitive); null when absent.</param>
    /// <param name="now">The current time, for providers that send reset times as instants.</param>
    public virtual RateLimitInfo ReadRateLimit(Func<string, string?> header, DateTimeOffset now) => RateLimitInfo.None;
}
