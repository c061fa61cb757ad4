namespace Truto.Mappings.Json;

/// <summary>
/// The one definition of "text that is a JSON number": RFC 8259's grammar,
/// <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>, nothing around it. Shared source: the
/// generator decides with it which body literals are numbers and whether a <c>| number</c> default
/// can be one; the runtime, whether an id or a context value may be sent as one. <c>007</c>,
/// <c>+1</c>, <c>.5</c>, <c>5.</c>, <c>NaN</c>, <c>1,000</c> and <c> 1</c> are not numbers;
/// <c>1e3</c> and <c>-1.5</c> are, and are sent as written.
/// </summary>
internal static class JsonNumberText
{
    /// <summary>True when <paramref name="text"/> is exactly one JSON number.</summary>
    public static bool IsNumber(string? text)
    {
        if (text is null)
        {
            return false;
        }
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }
        if (i >= text.Length || !IsDigit(text[i]))
        {
            return false;
        }
        // No leading zeros: "0" alone, or a digit 1-9 and any digits.
        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            i = Digits(text, i);
        }
        if (i < text.Length && text[i] == '.')
        {
            var fraction = Digits(text, i + 1);
            if (fraction == i + 1)
            {
                return false;
            }
            i = fraction;
        }
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }
            var exponent = Digits(text, i);
            if (exponent == i)
            {
                return false;
            }
            i = exponent;
        }
        return i == text.Length;
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static int Digits(string text, int i)
    {
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }
        return i;
    }
}
