using System.Text.Json;
using System.Text.RegularExpressions;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Accounts;

/// <summary>
/// Checks an account's context against its provider's declared keys (YAML <c>context:</c>): no
/// string value anywhere holds control characters (CR, LF, NUL, any C0 or DEL: they could add a
/// header or bend a URL), every required key is there, every declared key has its type and, for
/// URL-forming keys, its shape. The first problem is the 400, naming the key (<c>context.region</c>);
/// messages never carry a value. Undeclared keys are kept as they are.
/// </summary>
public static partial class ContextValidator
{
    /// <summary>The first problem with <paramref name="context"/>, or null when it conforms.</summary>
    /// <param name="declared">The provider's declared keys.</param>
    /// <param name="context">The context object.</param>
    /// <param name="egress">Says which http origins an <see cref="ContextShapeKind.HttpsOrigin"/> key may name besides https ones.</param>
    /// <param name="providerName">The provider's display name, for messages.</param>
    /// <param name="choices">
    /// Groups of keys of which the account must hold at least one (a template's fallback chain,
    /// <c>{{context.a ?? context.b}}</c>: <see cref="Adapters.ProviderInfo.RequiredContextChoices"/>); none when null.
    /// </param>
    public static TrutoError? Validate(IReadOnlyList<ContextKey> declared, JsonElement context, EgressPolicy egress, string providerName, IReadOnlyList<IReadOnlyList<string>>? choices = null)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(egress);
        if (context.ValueKind != JsonValueKind.Object)
        {
            return TrutoError.BadRequest("context", "context must be a JSON object.");
        }
        if (FindControlCharacters(context, "") is { } path)
        {
            return TrutoError.BadRequest("context." + path, $"The context value '{path}' contains control characters (such as line breaks); no credential or setting has them.");
        }
        var account = new AccountContext(context);
        foreach (var key in declared)
        {
            var value = account.FindElement(key.Name);
            if (value is null || value.Value.ValueKind == JsonValueKind.Null || value.Value is { ValueKind: JsonValueKind.String } s && s.GetString()!.Length == 0)
            {
                if (key.Required)
                {
                    return TrutoError.BadRequest("context." + key.Name, $"The context has no '{key.Name}' ({key.Label}), which {providerName} needs.");
                }
                continue;
            }
            if ((CheckType(key, value.Value) ?? CheckShape(key, value.Value, egress)) is { } problem)
            {
                return TrutoError.BadRequest("context." + key.Name, $"The context value '{key.Name}' ({key.Label}) {problem}.");
            }
        }
        foreach (var choice in choices ?? [])
        {
            if (choice.Count > 0 && choice.All(k => account.Find(k) is null))
            {
                var named = string.Join(", ", choice.Select(k => declared.FirstOrDefault(d => d.Name == k) is { } d ? $"'{k}' ({d.Label})" : $"'{k}'"));
                return TrutoError.BadRequest("context." + choice[0], $"The context has none of {named}; {providerName} needs one of them.");
            }
        }
        return null;
    }

    private static string? CheckType(ContextKey key, JsonElement value) => (key.Type, value.ValueKind) switch
    {
        (ContextValueType.Text, JsonValueKind.String) => null,
        (ContextValueType.Number, JsonValueKind.Number) => null,
        (ContextValueType.Boolean, JsonValueKind.True or JsonValueKind.False) => null,
        (ContextValueType.Text, _) => "must be a string",
        (ContextValueType.Number, _) => "must be a number",
        _ => "must be true or false",
    };

    private static string? CheckShape(ContextKey key, JsonElement value, EgressPolicy egress)
    {
        if (key.Shape is not { } shape || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var text = value.GetString()!;
        return shape.Kind switch
        {
            ContextShapeKind.DnsLabel => DnsLabel().IsMatch(text) ? null : "must be one DNS label (letters, digits and inner hyphens, at most 63), as it becomes part of a host name",
            ContextShapeKind.OneOf => shape.Values.Contains(text, StringComparer.Ordinal) ? null : $"must be one of: {string.Join(", ", shape.Values)}",
            ContextShapeKind.HttpsOrigin => IsOrigin(text, egress) ? null : "must be an https origin (https://host[:port], no user info, path, query or fragment)",
            ContextShapeKind.PathSegment => PathSegment().IsMatch(text) && text is not "." and not ".." ? null : "must be one URL path segment (letters, digits, '-', '.', '_', '~'; not '.' or '..'), as it becomes part of the path",
            // A shape this runtime does not know is refused, never waved through: the value forms a URL.
            _ => $"has a shape ({shape.Kind}) this server cannot check",
        };
    }

    /// <summary>An https origin, or an http one listed in <c>Egress:AllowedBaseUrls</c> (a simulator).</summary>
    private static bool IsOrigin(string text, EgressPolicy egress)
    {
        if (text.AsSpan().IndexOfAny('?', '#', '\\') >= 0 || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return false;
        }
        var bare = uri.UserInfo.Length == 0 && uri.AbsolutePath == "/";
        return bare && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && egress.IsAllowed(Origin.Of(uri))));
    }

    /// <summary>The dotted path of the first string value with control characters, or null.</summary>
    private static string? FindControlCharacters(JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                var text = element.GetString()!;
                return Requests.ControlCharacters.In(text) ? path : null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (FindControlCharacters(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindControlCharacters(item, $"{path}[{index++}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    [GeneratedRegex(@"^[A-Za-z0-9._~-]{1,255}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathSegment();
}
