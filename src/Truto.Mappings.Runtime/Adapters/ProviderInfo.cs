namespace Truto.Mappings.Adapters;

/// <summary>How a batch is sent: the provider's own batch endpoint, or one delete per id.</summary>
public enum BatchStrategy
{
    /// <summary>The provider's batch endpoint, in chunks of <see cref="MethodInfo.MaxIds"/>.</summary>
    Native,

    /// <summary>One delete per id, <see cref="MethodInfo.Concurrency"/> at a time.</summary>
    FanOut,
}

/// <summary>Where a unified request field is read from.</summary>
public enum FieldLocation
{
    /// <summary>The request body.</summary>
    Body,

    /// <summary>The query string.</summary>
    Query,

    /// <summary>The URL path.</summary>
    Path,
}

/// <summary>A unified request field a provider's mapping uses, and whether it requires it there.</summary>
public sealed record RequestFieldCoverage(string Name, FieldLocation Location, bool Required);

/// <summary>What a provider does for one unified method, generated from its YAML.</summary>
/// <param name="Method">The unified method.</param>
/// <param name="Strategy">For batch-delete: native or fan-out.</param>
/// <param name="MaxIds">Ids per provider call (1 for single deletes and fan-out).</param>
/// <param name="Concurrency">Provider calls in flight at once for one request.</param>
/// <param name="ResponseFields">The unified response fields the mapping populates, dotted for nested ones.</param>
/// <param name="RequestFields">The unified request fields the mapping reads.</param>
public sealed record MethodInfo(
    ContactsMethod Method,
    BatchStrategy Strategy,
    int MaxIds,
    int Concurrency,
    IReadOnlyList<string> ResponseFields,
    IReadOnlyList<RequestFieldCoverage> RequestFields);

/// <summary>A provider as its YAML file describes it.</summary>
/// <param name="Name">The integration name accounts use (e.g. <c>hubspot</c>).</param>
/// <param name="DisplayName">The name people read (e.g. <c>HubSpot</c>).</param>
/// <param name="DocsUrl">The provider's API documentation.</param>
/// <param name="ContextKeys">The account context keys the provider reads; all are required.</param>
/// <param name="Methods">The unified methods the provider supports.</param>
public sealed record ProviderInfo(
    string Name,
    string DisplayName,
    string? DocsUrl,
    IReadOnlyList<string> ContextKeys,
    IReadOnlyList<MethodInfo> Methods)
{
    /// <summary>The request rate the YAML declares (<c>rate_limit.requests</c> per <c>per_seconds</c>), if any.</summary>
    public RequestRate? Rate { get; init; }

    /// <summary>The provider's support for a method, or null when it has none.</summary>
    public MethodInfo? Find(ContactsMethod method) => Methods.FirstOrDefault(m => m.Method == method);
}

/// <summary>A provider's allowed request rate: <paramref name="Requests"/> per <paramref name="Period"/>, bursts up to <paramref name="Burst"/>.</summary>
/// <param name="Requests">Calls allowed per period.</param>
/// <param name="Period">The period.</param>
/// <param name="Burst">Calls that may go at once when the account has been idle.</param>
public sealed record RequestRate(int Requests, TimeSpan Period, int Burst);
