using System.Text.Json;

namespace Truto.Mappings.Requests;

/// <summary>
/// Writes a value a template marks <c>| number</c> into a provider's JSON body as a JSON number,
/// exactly as written (<c>102</c>, not <c>"102"</c>). Called by generated code; the ids and context
/// values it gets were checked before the request was built (an id that is not a number is
/// refused for that id, a context value that is not one is the caller's 400 naming the key), so
/// the check here only stands guard.
/// </summary>
public static class RequestNumbers
{
    /// <summary>True when <paramref name="text"/> is a JSON number (RFC 8259 grammar: <c>102</c>, <c>-1.5</c>, <c>1e3</c>; not <c>007</c>, <c>+1</c>, <c>.5</c>).</summary>
    public static bool IsNumber(string? text) => Json.JsonNumberText.IsNumber(text);

    /// <summary>Writes <paramref name="number"/> as a JSON number.</summary>
    /// <exception cref="FormatException">The text is not a JSON number (a caller skipped its check).</exception>
    public static void Write(Utf8JsonWriter json, string number)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!IsNumber(number))
        {
            throw new FormatException("A value written as a JSON number is not one; ids and context values are checked before a request is built.");
        }
        json.WriteRawValue(number, skipInputValidation: true);
    }
}
