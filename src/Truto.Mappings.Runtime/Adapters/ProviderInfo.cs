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
    /// <summary>The request rate the YAML declares (<c>rate_limit.requests</c> per <c>per_seconds</c>), if any.</summary>
    public RequestRate? Rate { get; init; }

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

/// <summary>A provider's allowed request rate: <paramref name="Requests"/> per <paramref name="Period"/>, bursts up to <paramref name="Burst"/>.</summary>
/// <param name="Requests">Calls allowed per period.</param>
/// <param name="Period">The period.</param>
/// <param name="Burst">Calls that may go at once when the account has been idle.</param>
public sealed record RequestRate(int Requests, TimeSpan Period, int Burst);
