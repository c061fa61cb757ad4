using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Truto.Mappings.Json;

namespace Truto.Mappings.Errors;

/// <summary>
/// Finds a readable message in a provider's error body: the provider's own error path first
/// (from its YAML), then the fields most APIs use, then an HTML page's title, then the text.
/// </summary>
public static partial class ProviderErrorReader
{
    private const int MaxTextMessage = 300;

    /// <summary>The provider body as JSON: parsed when it is JSON, else a JSON string of its text; null when empty.</summary>
    public static JsonElement? ToRawResponse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }
        if (TryParse(body) is { } json)
        {
            return json;
        }
        return JsonSerializer.SerializeToElement(Encoding.UTF8.GetString(body.Span));
    }

    /// <summary>Parses JSON, or null when the bytes are not JSON.</summary>
    public static JsonElement? TryParse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The common error fields, tried in order when the provider's YAML names none or it is absent.</summary>
    public static string? CommonMessage(JsonElement body)
    {
        JsonElement? root = body;
        var firstError = JsonNavigation.Index(JsonNavigation.Property(root, "errors"u8), 0);
        return Message(JsonNavigation.Property(root, "message"u8))
            ?? Message(JsonNavigation.Property(root, "error_description"u8))
            ?? Message(JsonNavigation.Property(root, "error"u8))
            ?? Message(JsonNavigation.Property(JsonNavigation.Property(root, "error"u8), "message"u8))
            ?? Message(JsonNavigation.Property(firstError, "message"u8))
            ?? Message(JsonNavigation.Property(firstError, "detail"u8))
            ?? Message(JsonNavigation.Property(firstError, "title"u8))
            ?? Message(JsonNavigation.Property(root, "detail"u8))
            ?? Message(JsonNavigation.Property(JsonNavigation.Index(root, 0), "message"u8));
    }

    /// <summary>A message for a body that is not JSON: an HTML page's title, else the start of the text.</summary>
    public static string? TextMessage(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }
        var text = Encoding.UTF8.GetString(body.Span);
        var title = TitlePattern().Match(text);
        if (title.Success)
        {
            var decoded = WebUtility.HtmlDecode(title.Groups[1].Value).Trim();
            return decoded.Length > 0 ? decoded : null;
        }
        text = text.Trim();
        if (text.Length == 0 || text.StartsWith('<'))
        {
            return null;
        }
        if (text.Length <= MaxTextMessage)
        {
            return text;
        }
        // A cut between the halves of a surrogate pair would leave invalid UTF-16, which JSON writers refuse.
        var length = char.IsHighSurrogate(text[MaxTextMessage - 1]) ? MaxTextMessage - 1 : MaxTextMessage;
        return string.Concat(text.AsSpan(0, length), "…");
    }

    // A blank message ("message": "") says nothing: the next field is tried.
    private static string? Message(JsonElement? field)
        => JsonNavigation.AsText(field) is { } text && !string.IsNullOrWhiteSpace(text) ? text : null;

    [GeneratedRegex("<title[^>]*>(.*?)</title>", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant, 1000)]
    private static partial Regex TitlePattern();
}
