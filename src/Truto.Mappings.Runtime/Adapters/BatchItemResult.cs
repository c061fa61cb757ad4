using System.Text.Json;

namespace Truto.Mappings.Adapters;

/// <summary>The outcome of one id inside a provider's batch response.</summary>
/// <param name="Id">The requested id.</param>
/// <param name="Succeeded">Whether the provider reports it deleted.</param>
/// <param name="Item">The provider's item for this id, if it reported one.</param>
/// <param name="Message">The provider's message for a failure.</param>
/// <param name="Code">The provider's error code for a failure.</param>
public sealed record BatchItemResult(string Id, bool Succeeded, JsonElement? Item, string? Message, string? Code)
{
    /// <summary>
    /// Pairs items with ids by position (Salesforce, Pipeliner): item i answers id i.
    /// </summary>
    public static IReadOnlyList<BatchItemResult> ByPosition(
        IReadOnlyList<string> ids,
        IEnumerable<JsonElement> items,
        Func<JsonElement, bool> succeeded,
        Func<JsonElement, string?> message,
        Func<JsonElement, string?> code)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var list = items.ToList();
        var results = new List<BatchItemResult>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            results.Add(i < list.Count
                ? Outcome(ids[i], list[i], succeeded, message, code)
                : new BatchItemResult(ids[i], false, null, "The provider's batch response has no result for this id.", null));
        }
        return results;
    }

    /// <summary>
    /// Pairs items with ids by the id each item carries (Zoho, Pipedrive); an id the provider
    /// does not mention is a failure.
    /// </summary>
    public static IReadOnlyList<BatchItemResult> ById(
        IReadOnlyList<string> ids,
        IEnumerable<JsonElement> items,
        Func<JsonElement, string?> itemId,
        Func<JsonElement, bool> succeeded,
        Func<JsonElement, string?> message,
        Func<JsonElement, string?> code)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var byId = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (itemId(item) is { } id)
            {
                byId.TryAdd(id, item);
            }
        }
        return ids.Select(id => byId.TryGetValue(id, out var item)
                ? Outcome(id, item, succeeded, message, code)
                : new BatchItemResult(id, false, null, "The provider did not report this id as deleted.", null))
            .ToList();
    }

    private static BatchItemResult Outcome(string id, JsonElement item, Func<JsonElement, bool> succeeded, Func<JsonElement, string?> message, Func<JsonElement, string?> code)
        => succeeded(item)
            ? new BatchItemResult(id, true, item, null, null)
            : new BatchItemResult(id, false, item, message(item) ?? "The provider reported a failure for this id.", code(item));
}
