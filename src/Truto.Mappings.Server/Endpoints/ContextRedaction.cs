using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// What an account read shows of a context: only the keys its provider declares non-secret (and
/// <c>base_url</c>, the runtime's own override). Secret keys, undeclared keys and whole objects
/// that hold no shown key are replaced by <c>"[redacted]"</c> — by the declaration's
/// <c>secret</c> flag, never by guessing from names — and any URL shown loses its user info.
/// </summary>
public static class ContextRedaction
{
    /// <summary>What replaces a value that is not shown.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>The context as an account read shows it (a new object; <paramref name="context"/> is left alone).</summary>
    public static JsonObject Redact(JsonNode? context, IReadOnlyList<ContextKey> declared)
    {
        ArgumentNullException.ThrowIfNull(declared);
        var shown = declared.Where(k => !k.Secret).Select(k => k.Name).Append("base_url").ToHashSet(StringComparer.Ordinal);
        var secret = declared.Where(k => k.Secret).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        return context is JsonObject root ? Redact(root, "", shown, secret) : [];
    }

    private static JsonObject Redact(JsonObject source, string prefix, HashSet<string> shown, HashSet<string> secret)
    {
        var result = new JsonObject();
        foreach (var (name, value) in source)
        {
            var path = prefix + name;
            result[name] = value switch
            {
                null or JsonValue when shown.Contains(path) => WithoutUserInfo(value),
                JsonObject nested when !secret.Contains(path) && shown.Any(k => k.StartsWith(path + ".", StringComparison.Ordinal))
                    => Redact(nested, path + ".", shown, secret),
                _ => Redacted,
            };
        }
        return result;
    }

    /// <summary>A URL value without <c>user:password@</c>; any other value as it is.</summary>
    private static JsonNode? WithoutUserInfo(JsonNode? value)
    {
        if (value is JsonValue text && text.TryGetValue<string>(out var s)
            && Uri.TryCreate(s, UriKind.Absolute, out var uri) && uri.UserInfo.Length > 0)
        {
            return uri.GetComponents(UriComponents.AbsoluteUri & ~UriComponents.UserInfo, UriFormat.UriEscaped);
        }
        return value?.DeepClone();
    }
}
