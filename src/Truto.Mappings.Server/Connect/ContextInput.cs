using System.Globalization;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Server.Connect;

/// <summary>
/// Context values that arrive as text — <c>context[key]=…</c> query parameters on a connect link,
/// the fields of the API-key form — turned into the context's JSON by the provider's declaration:
/// only declared keys, each as its declared type, dotted keys nested.
/// </summary>
public static class ContextInput
{
    /// <summary>The prefix of a context value's name in a query or form: <c>context[api_domain]</c>.</summary>
    public const string Prefix = "context[";

    /// <summary>
    /// Reads every <c>context[key]</c> of <paramref name="values"/> into <paramref name="into"/>;
    /// answers the first key that is not declared or not of its type, with why. Empty values are skipped.
    /// </summary>
    public static (string Key, string Message)? Read(IEnumerable<KeyValuePair<string, string?>> values, ProviderInfo provider, JsonObject into)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(into);
        foreach (var (name, value) in values)
        {
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.EndsWith(']'))
            {
                continue;
            }
            var keyName = name[Prefix.Length..^1];
            if (provider.Context.FirstOrDefault(k => k.Name == keyName) is not { } key)
            {
                return (keyName, $"'{keyName}' is not a context key {provider.DisplayName} declares; declared: {string.Join(", ", provider.Context.Select(k => k.Name))}.");
            }
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }
            if (Convert(key, value) is not { } node)
            {
                return (keyName, $"{key.Label} must be {(key.Type == ContextValueType.Number ? "a number" : "true or false")}.");
            }
            Set(into, keyName, node);
        }
        return null;
    }

    /// <summary>Sets a dotted key (<c>oauth.token.access_token</c>) in nested objects, creating them.</summary>
    public static void Set(JsonObject root, string dottedKey, JsonNode? value)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(dottedKey);
        var parts = dottedKey.Split('.');
        var current = root;
        foreach (var part in parts[..^1])
        {
            if (current[part] is not JsonObject next)
            {
                next = [];
                current[part] = next;
            }
            current = next;
        }
        current[parts[^1]] = value;
    }

    private static JsonValue? Convert(ContextKey key, string value) => key.Type switch
    {
        ContextValueType.Number => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : null,
        ContextValueType.Boolean => value is "true" or "on" ? JsonValue.Create(true) : value == "false" ? JsonValue.Create(false) : null,
        _ => JsonValue.Create(value),
    };
}
