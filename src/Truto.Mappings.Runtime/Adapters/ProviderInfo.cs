namespace Truto.Mappings.Adapters;

/// <summary>A unified request field a provider's mapping uses, and whether it requires it there.</summary>
public sealed record RequestFieldCoverage(string Name, FieldLocation Location, bool Required);

/// <summary>A provider as its YAML file describes it.</summary>
/// <param name="Name">The integration name accounts use (e.g. <c>hubspot</c>).</param>
/// <param name="DisplayName">The name people read (e.g. <c>HubSpot</c>).</param>
/// <param name="DocsUrl">The provider's API documentation.</param>
/// <param name="ContextKeys">The account context keys the provider reads; all are required.</param>
/// <param name="Operations">The unified methods the provider maps, by resource and method name.</param>
public sealed record ProviderInfo(
    string Name,
    string DisplayName,
    string? DocsUrl,
    IReadOnlyList<string> ContextKeys,
    IReadOnlyList<OperationInfo> Operations)
{
    /// <summary>
    /// The request rates the YAML declares (<c>rate_limit.requests</c> per <c>per_seconds</c>, or each of
    /// <c>rate_limit.windows</c>); empty when it declares none. A call goes only when every window allows it.
    /// </summary>
    public IReadOnlyList<RequestRate> Rates { get; init; } = [];

    /// <summary>The context keys the YAML declares (<c>context:</c>): type, secrecy, label, help and URL shape.</summary>
    public IReadOnlyList<Accounts.ContextKey> Context { get; init; } = [];

    /// <summary>
    /// Groups of context keys of which an account must hold at least one: each is a template's
    /// fallback chain without a default (<c>{{context.oauth.token.access_token ?? context.api_key}}</c>),
    /// whose keys are then not required one by one (<see cref="Accounts.ContextKey.Required"/> is false
    /// unless another template reads the key alone). Checked with the declaration, before any call.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> RequiredContextChoices { get; init; } = [];

    /// <summary>
    /// The hosts the provider's calls may reach (YAML <c>hosts:</c>); <c>*.example.com</c> matches
    /// any subdomain of example.com. Empty means the YAML declares none (every call is then refused
    /// unless its origin is allowed by configuration).
    /// </summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];

    /// <summary>The provider's OAuth 2.0 flow (YAML <c>oauth2:</c>), or null when it has none.</summary>
    public OAuth.OAuth2Info? OAuth2 { get; init; }

    /// <summary>The provider's support for a method (by name or URL slug) of a resource, or null when it has none.</summary>
    public OperationInfo? Find(string resource, string method)
        => Operations.FirstOrDefault(o => o.Resource == resource && Schema.OperationNames.Matches(o.Method, method));
}

/// <summary>
/// One window of a provider's allowed request rate: <paramref name="Requests"/> per <paramref name="Period"/>,
/// bursts up to <paramref name="Burst"/>, counted per integrated account or (<see cref="Scope"/>) across
/// all accounts of the integration.
/// </summary>
/// <param name="Requests">Calls allowed per period.</param>
/// <param name="Period">The period.</param>
/// <param name="Burst">Calls that may go at once when the account has been idle.</param>
public sealed record RequestRate(int Requests, TimeSpan Period, int Burst)
{
    /// <summary>Whose calls the window counts (YAML <c>per:</c>): one account's (the default) or every account's of the integration.</summary>
    public RateLimitScope Scope { get; init; } = RateLimitScope.Account;

    /// <summary>"240 calls per 60 s per account": the window as messages name it.</summary>
    public override string ToString()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Requests} {(Requests == 1 ? "call" : "calls")} per {Http.Deadline.Format(Period)}{(Scope == RateLimitScope.App ? " for all accounts of the app" : " per account")}");
}

/// <summary>Whose calls a rate-limit window counts.</summary>
public enum RateLimitScope
{
    /// <summary>Each integrated account has its own budget (a provider counting per token or per user).</summary>
    Account,

    /// <summary>
    /// One budget for every account of the integration (a provider counting per OAuth app, as Keap's
    /// 1,500 calls a minute shared by all accounts connected through one app); with a shared limiter,
    /// across instances too.
    /// </summary>
    App,
}
