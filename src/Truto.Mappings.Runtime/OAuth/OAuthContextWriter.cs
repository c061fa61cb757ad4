using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Writes a token answer into an account's context in Truto's shape (<see cref="OAuthContextKeys"/>):
/// the access token; the refresh token when the answer has one (a rotated one replaces the old, an
/// omitted one keeps it); <c>expires_in</c> as <c>expires_at</c> (ISO-8601 UTC; dropped when the
/// answer gives no lifetime, as the old one no longer applies); <c>token_type</c>, <c>scope</c>;
/// and the provider's <see cref="OAuth2Info.TokenValues"/>. Every other key stays as it was.
/// </summary>
internal static class OAuthContextWriter
{
    /// <summary>The new context; null when the answer has no access token.</summary>
    public static AccountContext? Apply(AccountContext context, JsonElement answer, OAuth2Info info, DateTimeOffset now)
    {
        if (answer.ValueKind != JsonValueKind.Object || Text(answer, "access_token") is not { } accessToken)
        {
            return null;
        }
        var root = JsonNode.Parse(context.Root.GetRawText())!.AsObject();
        Set(root, OAuthContextKeys.AccessToken, accessToken);
        if (Text(answer, "refresh_token") is { } refreshToken)
        {
            Set(root, OAuthContextKeys.RefreshToken, refreshToken);
        }
        if (Seconds(answer) is { } seconds)
        {
            Set(root, OAuthContextKeys.ExpiresAt, FormatInstant(now.AddSeconds(seconds)));
        }
        else
        {
            Remove(root, OAuthContextKeys.ExpiresAt);
        }
        if (Text(answer, "token_type") is { } tokenType)
        {
            Set(root, OAuthContextKeys.TokenType, tokenType);
        }
        if (answer.TryGetProperty("scope", out var scope))
        {
            // Most providers answer a string; a few an array of scopes.
            var scopes = scope.ValueKind == JsonValueKind.Array ? string.Join(' ', scope.EnumerateArray().Select(s => s.ToString())) : Text(answer, "scope");
            if (scopes is { Length: > 0 })
            {
                Set(root, OAuthContextKeys.Scope, scopes);
            }
        }
        foreach (var value in info.TokenValues)
        {
            if (Text(answer, value.AnswerMember) is { } text)
            {
                Set(root, value.ContextKey, text);
            }
        }
        return new AccountContext(JsonSerializer.SerializeToElement(root));
    }

    /// <summary>An instant as the context stores it: <c>2026-12-01T10:00:00Z</c>.</summary>
    public static string FormatInstant(DateTimeOffset instant)
        => instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The access token's expiry from the context, or null when it has none (or an unreadable one).</summary>
    public static DateTimeOffset? ExpiresAt(AccountContext context)
        => context.Find(OAuthContextKeys.ExpiresAt) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;

    private static double? Seconds(JsonElement answer)
    {
        if (!answer.TryGetProperty("expires_in", out var value))
        {
            return null;
        }
        // Some providers send the lifetime as a string ("3600").
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
        {
            return number;
        }
        return value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
    }

    private static string? Text(JsonElement answer, string member)
        => answer.TryGetProperty(member, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) is { Length: > 0 } text ? text : null
            : null;

    /// <summary>Writes a dotted key where the context keeps it: a flat dotted member when it has one (importers write them), else the nested path.</summary>
    internal static void Set(JsonObject root, string key, string value)
    {
        if (root.ContainsKey(key))
        {
            root[key] = value;
            return;
        }
        var parts = key.Split('.');
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

    /// <summary>Removes a dotted key, flat or nested.</summary>
    internal static void Remove(JsonObject root, string key)
    {
        root.Remove(key);
        var parts = key.Split('.');
        JsonObject? current = root;
        foreach (var part in parts[..^1])
        {
            current = current?[part] as JsonObject;
        }
        current?.Remove(parts[^1]);
    }
}
