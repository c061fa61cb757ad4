using System.Globalization;
using System.Text;

namespace Truto.Mappings.Generator.Tests.Fuzzing;

/// <summary>What a mutation does to a mapping file's text.</summary>
public enum MutationKind
{
    DeleteLine,
    DuplicateLine,
    SwapLines,
    InsertText,
    ReplaceValue,
    AppendToValue,
    ReplaceKey,
    DeepNesting,
    HugeList,
    LongPath,
}

/// <summary>
/// One edit of a mapping file. Positions are taken modulo the text's size when applied, so any
/// generated number is a valid position and CsCheck can shrink them freely.
/// </summary>
public sealed record Mutation(MutationKind Kind, int Line, int Other, string Text)
{
    public string Apply(string text)
    {
        var lines = text.Split('\n').ToList();
        var line = Line % lines.Count;
        switch (Kind)
        {
            case MutationKind.DeleteLine:
                lines.RemoveAt(line);
                break;
            case MutationKind.DuplicateLine:
                lines.Insert(line, lines[line]);
                break;
            case MutationKind.SwapLines:
                var other = Other % lines.Count;
                (lines[line], lines[other]) = (lines[other], lines[line]);
                break;
            case MutationKind.InsertText:
                var column = lines[line].Length == 0 ? 0 : Other % (lines[line].Length + 1);
                lines[line] = lines[line].Insert(column, Text);
                break;
            case MutationKind.ReplaceValue:
                lines[line] = WithValue(lines[line], Text);
                break;
            case MutationKind.AppendToValue:
                lines[line] = WithText(lines[line], Text);
                break;
            case MutationKind.ReplaceKey:
                lines[line] = WithKey(lines[line], Text);
                break;
            case MutationKind.DeepNesting:
                lines[line] = WithValue(lines[line], Other % 2 == 0
                    ? new string('[', Other) + "1" + new string(']', Other)
                    : string.Concat(Enumerable.Range(0, Other).Select(i => "\n" + new string(' ', Indent(lines[line]) + 2 * (i + 1)) + "k" + i.ToString(CultureInfo.InvariantCulture) + ":")) + " x");
                break;
            case MutationKind.HugeList:
                lines[line] = WithValue(lines[line], "[" + string.Join(", ", Enumerable.Range(0, Other).Select(i => Text.Length > 0 ? Text : "c" + (i % 7).ToString(CultureInfo.InvariantCulture))) + "]");
                break;
            case MutationKind.LongPath:
                lines[line] = WithValue(lines[line], "$" + string.Concat(Enumerable.Repeat(".a", Other)));
                break;
        }
        return string.Join('\n', lines);
    }

    /// <summary>The line with the text after its first ': ' (or '- ') replaced, else with the value appended as a new key.</summary>
    private static string WithValue(string line, string value)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0)
        {
            return line[..(colon + 2)] + value;
        }
        if (line.TrimEnd().EndsWith(':'))
        {
            return line.TrimEnd() + " " + value;
        }
        var dash = line.IndexOf("- ", StringComparison.Ordinal);
        return dash >= 0 ? line[..(dash + 2)] + value : new string(' ', Indent(line)) + "extra: " + value;
    }

    /// <summary>The line's value as a double-quoted YAML string with <paramref name="escape"/> (YAML escapes allowed) added at its end.</summary>
    private static string WithText(string line, string escape)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0)
        {
            return line;
        }
        var value = line[(colon + 2)..];
        var inner = value.Length >= 2 && value[0] == '"' && value[^1] == '"'
            ? value[1..^1]
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        return line[..(colon + 2)] + "\"" + inner + escape + "\"";
    }

    private static string WithKey(string line, string key)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        var indent = Indent(line);
        return colon > indent ? new string(' ', indent) + key + line[colon..] : line;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var c in Text.Length > 60 ? Text[..60] + "…" : Text)
        {
            text.Append(c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return $"{Kind}(line {Line}, {Other}, \"{text}\")";
    }
}
