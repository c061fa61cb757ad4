using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Execution;

/// <summary>
/// The caller's <c>remote_query</c> and <c>remote_data</c> may add to the provider request, never
/// replace what the mapping sets: a mapped query parameter, or a body member that is not an
/// object both sides extend, names the ids or the operation (HubSpot's <c>inputs</c>, monday's
/// <c>query</c>), and replacing it would make the provider do something other than what the
/// answer reports.
/// </summary>
internal static class RemoteAdditions
{
    /// <summary>The 400 for the first addition that would replace a mapped value, or null when all only add.</summary>
    public static TrutoError? FindClash(ProviderRequest request, IReadOnlyList<KeyValuePair<string, string>> remoteQuery, JsonElement? remoteData)
    {
        foreach (var (name, _) in remoteQuery)
        {
            if (request.Query.Any(q => string.Equals(q.Key, name, StringComparison.Ordinal)))
            {
                return TrutoError.BadRequest("remote_query." + name, $"remote_query may add query parameters, not replace '{name}', which the mapping sets.");
            }
        }
        if (remoteData is not { ValueKind: JsonValueKind.Object } extra || request.Body is not { } body)
        {
            return null;
        }
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object ? FindClash(document.RootElement, extra, "remote_data") : null;
    }

    private static TrutoError? FindClash(JsonElement mapped, JsonElement extra, string path)
    {
        foreach (var member in extra.EnumerateObject())
        {
            if (!mapped.TryGetProperty(member.Name, out var existing))
            {
                continue;
            }
            var where = path + "." + member.Name;
            if (existing.ValueKind != JsonValueKind.Object || member.Value.ValueKind != JsonValueKind.Object)
            {
                return TrutoError.BadRequest(where, $"remote_data may add to the provider's request body, not replace '{where["remote_data.".Length..]}', which the mapping sets.");
            }
            if (FindClash(existing, member.Value, where) is { } clash)
            {
                return clash;
            }
        }
        return null;
    }
}
