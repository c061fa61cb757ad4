using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The one check an account's context passes before it is stored, at creation and after every
/// update (the merged context), so both paths refuse the same things with the same 400.
/// </summary>
public static class AccountValidation
{
    /// <summary>Null when <paramref name="context"/> may be stored for <paramref name="adapter"/>'s provider; otherwise the 400 naming the key.</summary>
    public static TrutoError? Validate(ProviderAdapter adapter, JsonObject context)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(context);
        // No credential or setting holds control characters, and one that did could add a header
        // to a provider request or bend its URL: refused when stored, not first when used.
        return FirstWithControlCharacters(context, "") is { } key
            ? TrutoError.BadRequest("context." + key, $"The context value '{key}' contains control characters (such as line breaks); no credential or setting has them.")
            : null;
    }

    private static string? FirstWithControlCharacters(JsonNode? node, string path) => node switch
    {
        JsonObject obj => obj.Select(p => FirstWithControlCharacters(p.Value, path.Length == 0 ? p.Key : path + "." + p.Key)).FirstOrDefault(k => k is not null),
        JsonArray array => array.Select((item, i) => FirstWithControlCharacters(item, $"{path}[{i}]")).FirstOrDefault(k => k is not null),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && HasControlCharacters((string)value!) => path,
        _ => null,
    };

    private static bool HasControlCharacters(string text) => text.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || text.Contains('\u007F', StringComparison.Ordinal);
}
