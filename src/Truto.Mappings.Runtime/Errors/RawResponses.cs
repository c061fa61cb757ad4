using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Truto.Mappings.Errors;

/// <summary>
/// Keeps <c>raw_response</c> bounded. A provider body (or item) longer than the limit is kept as
/// the prefix of its text, a JSON string, and the error says so with
/// <c>"truto_raw_response_truncated": true</c>: the caller still sees how it began, never megabytes.
/// </summary>
internal static class RawResponses
{
    /// <summary>The body as <c>raw_response</c> (see <see cref="ProviderErrorReader.ToRawResponse(ReadOnlyMemory{byte})"/>), or its text prefix when longer than <paramref name="maxBytes"/>.</summary>
    public static (JsonElement? Raw, bool Truncated) FromBody(ReadOnlyMemory<byte> body, int maxBytes)
        => body.Length <= maxBytes
            ? (ProviderErrorReader.ToRawResponse(body), false)
            : (JsonSerializer.SerializeToElement(Prefix(body.Span, maxBytes)), true);

    /// <summary>A JSON value as <c>raw_response</c>, or its text prefix when its text is longer than <paramref name="maxBytes"/>.</summary>
    public static (JsonElement Raw, bool Truncated) Bound(JsonElement raw, int maxBytes)
    {
        var text = Utf8(raw);
        return text.Length <= maxBytes ? (raw, false) : (JsonSerializer.SerializeToElement(Prefix(text, maxBytes)), true);
    }

    /// <summary>
    /// Writes <paramref name="raw"/> whole when it fits what is left of <paramref name="budget"/>
    /// bytes, else the prefix of its text that does; returns true when it was cut.
    /// </summary>
    public static bool Write(Utf8JsonWriter writer, JsonElement raw, ref long budget)
    {
        var text = Utf8(raw);
        if (text.Length <= budget)
        {
            budget -= text.Length;
            raw.WriteTo(writer);
            return false;
        }
        var prefix = Prefix(text, (int)Math.Max(0, budget));
        budget = 0;
        writer.WriteStringValue(prefix);
        return true;
    }

    /// <summary>The text a raw response stands for: a string's value, else its JSON.</summary>
    private static ReadOnlySpan<byte> Utf8(JsonElement raw)
        => raw.ValueKind == JsonValueKind.String ? Encoding.UTF8.GetBytes(raw.GetString()!) : JsonMarshal.GetRawUtf8Value(raw);

    /// <summary>At most <paramref name="maxBytes"/> bytes of UTF-8 as text, never cutting a character in two.</summary>
    internal static string Prefix(ReadOnlySpan<byte> utf8, int maxBytes)
    {
        if (utf8.Length <= maxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        var length = maxBytes;
        // Back off continuation bytes (10xxxxxx) to the start of the character the cut falls in.
        while (length > 0 && (utf8[length] & 0xC0) == 0x80)
        {
            length--;
        }
        return Encoding.UTF8.GetString(utf8[..length]);
    }
}
