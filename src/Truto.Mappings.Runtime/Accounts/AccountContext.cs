using System.Text.Json;

namespace Truto.Mappings.Accounts;

/// <summary>
/// An integrated account's context: credentials and per-account settings, as JSON. Keys are
/// dotted paths into nested objects (<c>oauth.token.access_token</c>); a flat key with dots in
/// its name is accepted too, as some importers write them that way.
/// </summary>
public sealed class AccountContext
{
    private readonly JsonElement _root;

    /// <summary>Wraps a context object.</summary>
    public AccountContext(JsonElement root)
    {
        _root = root.ValueKind == JsonValueKind.Object ? root.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
    }

    /// <summary>The context object as stored (for validation against the provider's declaration).</summary>
    public JsonElement Root => _root;

    /// <summary>Parses a context from JSON text.</summary>
    public static AccountContext Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return new AccountContext(document.RootElement);
    }

    /// <summary>The context value at a key as text, or null when absent or empty.</summary>
    public string? Find(string key) => FindElement(key) is { } element ? Text(element) : null;

    /// <summary>The JSON value at a key (flat dotted name first, then the nested path), or null when absent.</summary>
    public JsonElement? FindElement(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_root.TryGetProperty(key, out var flat))
        {
            return flat;
        }
        JsonElement current = _root;
        foreach (var part in key.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }
        return current;
    }

    /// <summary>
    /// The context value at a key, for building a provider request; a missing key, or a value with
    /// control characters (which could add a header or bend a URL), is the caller's 400, naming it.
    /// </summary>
    public string Require(string key)
    {
        var value = Find(key) ?? throw new MissingContextKeyException(key);
        return Requests.ControlCharacters.In(value)
            ? throw new InvalidContextValueException(key)
            : value;
    }

    /// <summary>
    /// The value of the first of <paramref name="keys"/> the context holds (a template's
    /// <c>{{context.a ?? context.b ?? 'x'}}</c>), with <see cref="Require"/>'s checks; else
    /// <paramref name="fallback"/>; else the caller's 400 naming every key.
    /// </summary>
    /// <param name="fallback">The template's quoted default, or null when it has none.</param>
    /// <param name="keys">The keys in the order tried.</param>
    public string RequireFirst(string? fallback, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (Find(key) is not null)
            {
                return Require(key);
            }
        }
        return fallback ?? throw new MissingContextKeyException(keys);
    }

    /// <summary>
    /// The value of the first of <paramref name="keys"/> the context holds, as the text of a JSON
    /// number (<c>{{context.a | number}}</c>): a JSON number as stored, or text that is one
    /// (<c>"42"</c>); else <paramref name="fallback"/>. A present value that is no number is not
    /// skipped for the next key: it is the caller's 400 naming it, as a missing one is.
    /// </summary>
    /// <param name="fallback">The template's quoted default (a JSON number), or null when it has none.</param>
    /// <param name="keys">The keys in the order tried.</param>
    public string RequireNumber(string? fallback, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (FindElement(key) is not { } element || Find(key) is null)
            {
                continue;
            }
            var text = element.ValueKind switch
            {
                JsonValueKind.Number => element.GetRawText(),
                JsonValueKind.String => element.GetString(),
                _ => null,
            };
            return Json.JsonNumberText.IsNumber(text) ? text! : throw new NonNumericContextValueException(key);
        }
        if (fallback is null)
        {
            throw new MissingContextKeyException(keys);
        }
        return Json.JsonNumberText.IsNumber(fallback) ? fallback : throw new ArgumentException($"The default '{fallback}' is not a JSON number.", nameof(fallback));
    }

    /// <summary>The keys from <paramref name="keys"/> this context lacks.</summary>
    public IReadOnlyList<string> Missing(IEnumerable<string> keys) => keys.Where(k => Find(k) is null).ToList();

    private static string? Text(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString() is { Length: > 0 } s ? s : null,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
        _ => null,
    };
}
