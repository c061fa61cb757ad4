using System.Globalization;
using System.Linq;
using System.Text;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// The one place where text from a mapping file becomes part of generated C#: string literals,
/// XML doc text, line comments, identifiers and hint names. YAML can hold any character (its
/// <c>\L</c> is U+2028, which C# reads as a line break), so nothing from a file is written into
/// source without passing through here; <see cref="CodeWriter"/>'s helpers forward to it.
/// </summary>
internal static class GeneratedText
{
    /// <summary>A regular C# string literal (quoted) of <paramref name="value"/>, or <c>null</c>.</summary>
    public static string Literal(string? value)
    {
        if (value is null)
        {
            return "null";
        }
        var builder = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\0':
                    builder.Append("\\0");
                    break;
                case '\a':
                    builder.Append("\\a");
                    break;
                case '\b':
                    builder.Append("\\b");
                    break;
                case '\f':
                    builder.Append("\\f");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                case '\v':
                    builder.Append("\\v");
                    break;
                default:
                    if (NeedsEscape(value, i))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.Append('"').ToString();
    }

    /// <summary>A UTF-8 literal (<c>"…"u8</c>); the parser refuses unpaired surrogates, which have no UTF-8 form.</summary>
    public static string Utf8Literal(string value) => Literal(value) + "u8";

    /// <summary>
    /// Text inside an XML doc comment: markup characters as entities, every line terminator as a
    /// space (a terminator would end the <c>///</c> line and turn the rest into code), and
    /// characters XML does not allow replaced.
    /// </summary>
    public static string Xml(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '&':
                    builder.Append("&amp;");
                    break;
                case '<':
                    builder.Append("&lt;");
                    break;
                case '>':
                    builder.Append("&gt;");
                    break;
                case '\r' when i + 1 < value.Length && value[i + 1] == '\n':
                    break;
                default:
                    builder.Append(IsLineTerminator(c) ? ' ' : NeedsEscape(value, i) ? '\uFFFD' : c);
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>Text inside a <c>//</c> comment: one line, no character that could end it.</summary>
    public static string Comment(string value)
    {
        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            builder.Append(IsLineTerminator(c) ? ' ' : NeedsEscape(value, i) ? '\uFFFD' : c);
        }
        // Harmless in a line comment, but kept out so the text is safe in a block comment too.
        return builder.ToString().Replace("*/", "* /");
    }

    /// <summary>
    /// A C# identifier from any text, in PascalCase: "Zoho CRM" → "ZohoCrm", "zendesk_sell" →
    /// "ZendeskSell". Only letters and digits survive, so the result is always a valid identifier
    /// (and, starting upper-case, never a keyword); names that must also be unique are checked
    /// for collisions where they are declared.
    /// </summary>
    public static string Identifier(string text)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var c in text)
        {
            if (!IsAsciiLetterOrDigit(c))
            {
                upper = true;
                continue;
            }
            var isAcronymTail = !upper && char.IsUpper(c) && builder.Length > 0 && char.IsUpper(builder[builder.Length - 1]);
            builder.Append(upper ? char.ToUpperInvariant(c) : isAcronymTail ? char.ToLowerInvariant(c) : c);
            upper = false;
        }
        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, 'P');
        }
        return builder.ToString();
    }

    /// <summary>A hint name from an identifier and a suffix such as <c>.Contacts.g.cs</c>.</summary>
    public static string HintName(string identifier, string suffix)
        => (identifier.Length > 0 && IsAsciiLetter(identifier[0]) && identifier.All(IsAsciiLetterOrDigit) ? identifier : Identifier(identifier)) + suffix;

    /// <summary>True for every character C# (and YAML) reads as the end of a line.</summary>
    public static bool IsLineTerminator(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static bool IsAsciiLetterOrDigit(char c) => IsAsciiLetter(c) || c is >= '0' and <= '9';

    /// <summary>Control characters, line and paragraph separators, non-characters and unpaired surrogates.</summary>
    private static bool NeedsEscape(string text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c))
        {
            return index + 1 >= text.Length || !char.IsLowSurrogate(text[index + 1]);
        }
        if (char.IsLowSurrogate(c))
        {
            return index == 0 || !char.IsHighSurrogate(text[index - 1]);
        }
        return c < ' ' || c is (>= '\u007f' and <= '\u009f') or '\u2028' or '\u2029' or '\ufeff' or '\ufffe' or '\uffff';
    }
}
