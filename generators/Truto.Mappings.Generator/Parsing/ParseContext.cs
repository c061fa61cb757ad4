using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis.Text;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Per-file parsing state: the file path, the diagnostics found so far, and helpers that turn
/// YamlDotNet marks into locations. YamlDotNet types never leave the parse step.
/// </summary>
internal sealed class ParseContext(string filePath)
{
    private readonly List<DiagnosticInfo> _diagnostics = [];
    private SourceText? _text;

    public string FilePath { get; } = filePath;

    public IReadOnlyList<DiagnosticInfo> Diagnostics => _diagnostics;

    public bool HasErrors => _diagnostics.Count > 0;

    public void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, YamlNode? node, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, node is null ? LocationInfo.FileStart(FilePath) : Locate(node.Start, node.End), arguments));

    public void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments)
        => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));

    public LocationInfo Locate(YamlNode node) => Locate(node.Start, node.End);

    /// <summary>The location of a character inside a scalar (for errors inside expressions).</summary>
    public LocationInfo LocateInScalar(YamlScalarNode node, int offset)
    {
        // Quoted scalars start one character before their text; plain ones at it.
        var quote = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? 1 : 0;
        var sameLine = node.Start.Line == node.End.Line;
        if (!sameLine)
        {
            return Locate(node);
        }
        var start = new Mark(node.Start.Index + quote + offset, node.Start.Line, node.Start.Column + quote + offset);
        return Locate(start, node.End);
    }

    public LocationInfo Locate(Mark start, Mark end)
    {
        if (_text is null)
        {
            return LocationInfo.FileStart(FilePath);
        }
        // YamlDotNet's marks can point one past the text (a file that is only '---'); clamp them
        // and take lines and columns from the same text the editor shows.
        var from = Math.Min(Math.Max(0, (int)start.Index), _text.Length);
        var to = Math.Min(Math.Max(from, (int)end.Index), _text.Length);
        var span = TextSpan.FromBounds(from, to);
        return new LocationInfo(FilePath, span, _text.Lines.GetLinePositionSpan(span));
    }

    /// <summary>Loads the single YAML document of a file, or reports why it cannot be read (TM0001, TM0013-TM0015).</summary>
    public YamlMappingNode? Load(string text)
    {
        _text = SourceText.From(text);
        var stream = new YamlStream();
        var parser = new GuardedParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (GuardedParser.RefusedException e)
        {
            _diagnostics.Add(DiagnosticInfo.Create(e.Descriptor, Locate(e.At.Start, e.At.End),
                e.Descriptor == DiagnosticDescriptors.YamlSyntax ? [Path.GetFileName(FilePath), .. e.Arguments] : e.Arguments));
            return null;
        }
        catch (YamlException e)
        {
            var message = CleanYamlMessage(e);
            // YamlDotNet reports a tab in the indentation at the start of the file: point at the tab.
            var location = message.IndexOf("tab", StringComparison.Ordinal) >= 0 && FirstIndentingTab(text) is { } tab ? Locate(tab, tab) : Locate(e.Start, e.End);
            Report(DiagnosticDescriptors.YamlSyntax, location, Path.GetFileName(FilePath), YamlMessages.Explain(message));
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these (not a YamlException) on some malformed input, e.g.
            // an unclosed flow mapping, or an escape that is no character ("\uDE00\uD800"); the
            // last event it read is the best position there is.
            Report(DiagnosticDescriptors.YamlSyntax, Locate(parser.LastEnd, parser.LastEnd), Path.GetFileName(FilePath),
                e is ArgumentException
                    ? "the YAML cannot be read after this point (an escape that is not a character, or a key given twice?)"
                    : "the YAML cannot be read after this point (an unclosed '{', '[' or quote?)");
            return null;
        }
        if (parser.FirstAnchor is { } anchor)
        {
            // Without an alias an anchor does nothing; it is refused all the same, so the rule is simply "none".
            Report(DiagnosticDescriptors.AnchorOrAlias, Locate(anchor.Start, anchor.End), "&" + anchor.Anchor.Value, parser.FirstAnchorWhere);
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var node = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
            Report(DiagnosticDescriptors.WrongType, node, Path.GetFileName(FilePath), "a mapping of keys to values", Describe(node));
            return null;
        }
        return root;
    }

    /// <summary>Where the first line indented with a tab has it, if one does.</summary>
    private static Mark? FirstIndentingTab(string text)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\n':
                    line++;
                    lineStart = i + 1;
                    break;
                case '\t':
                    return new Mark(i, line, i - lineStart + 1);
                case ' ':
                    break;
                default:
                    // Past the indentation: skip to the end of the line.
                    var end = text.IndexOf('\n', i);
                    if (end < 0)
                    {
                        return null;
                    }
                    i = end - 1;
                    break;
            }
        }
        return null;
    }

    private static string CleanYamlMessage(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: x, Col: y, Idx: z) - (…): "; the location already says that.
        var message = e.InnerException?.Message ?? e.Message;
        var dash = message.LastIndexOf("): ", StringComparison.Ordinal);
        return dash >= 0 && message.StartsWith("(", StringComparison.Ordinal) ? message.Substring(dash + 3) : message;
    }

    public static string Describe(YamlNode? node) => node switch
    {
        null => "nothing",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: null or "" or "~" or "null" } scalar when scalar.Style == ScalarStyle.Plain => "an empty value",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => node.NodeType.ToString(),
    };

    /// <summary>Parses a path expression in a scalar, reporting TM0005 at the bad character, TM0015 when it is too long.</summary>
    public PathExpression? ParsePath(YamlScalarNode node, string where)
    {
        var text = node.Value ?? "";
        if (text.Length > Limits.MaxPathLength)
        {
            Report(DiagnosticDescriptors.TooLarge, node, where, $"a path of {Count(text.Length)} characters", $"{Count(Limits.MaxPathLength)} characters");
            return null;
        }
        var (path, error) = PathParser.Parse(text);
        if (error is not null)
        {
            Report(DiagnosticDescriptors.InvalidPath, LocateInScalar(node, error.Offset), text, where, $"{error.Message} (at character {error.Offset + 1})");
        }
        if (path is not null && Steps(path) > Limits.MaxPathSegments)
        {
            // Each step is one nested call in the generated code; Roslyn refuses deep nesting (CS8078).
            Report(DiagnosticDescriptors.TooLarge, node, where, $"a path of {Count(Steps(path))} steps", $"{Count(Limits.MaxPathSegments)} steps");
            return null;
        }
        return path;
    }

    private static int Steps(PathExpression path)
        => path.Segments.Count + path.Segments.OfType<FilterSegment>().Sum(f => f.Filter.Subject.Segments.Count + (f.Filter.Other?.Segments.Count ?? 0));

    private static string Count(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Parses a template in a scalar, reporting TM0007 at the bad placeholder, TM0015 when it is too long.</summary>
    public Template? ParseTemplate(YamlScalarNode node, string where, params PlaceholderSource[] allowed)
        => ParseTemplate(node, where, TemplateUse.Text, allowed);

    /// <summary>
    /// Parses a template used as <paramref name="use"/> says: <c>| number</c> only as a whole body
    /// value (TM0028) with a default that is a number (TM0029); <c>??</c> fallbacks not in a URL (TM0007).
    /// </summary>
    public Template? ParseTemplate(YamlScalarNode node, string where, TemplateUse use, params PlaceholderSource[] allowed)
    {
        if ((node.Value ?? "").Length > Limits.MaxTemplateLength)
        {
            Report(DiagnosticDescriptors.TooLarge, node, where, $"a text of {Count(node.Value!.Length)} characters", $"{Count(Limits.MaxTemplateLength)} characters");
            return null;
        }
        var (template, error) = TemplateParser.Parse(node.Value ?? "");
        if (error is not null)
        {
            Report(DiagnosticDescriptors.InvalidTemplate, LocateInScalar(node, error.Offset), node.Value ?? "", where, error.Message);
            return null;
        }
        foreach (var placeholder in template!.Parts.Select(p => p.Placeholder).OfType<Placeholder>())
        {
            if (!allowed.Contains(placeholder.Source))
            {
                var names = string.Join(", ", allowed.Select(PlaceholderName));
                Report(DiagnosticDescriptors.InvalidTemplate, LocateInScalar(node, placeholder.Offset), node.Value ?? "", where,
                    $"'{PlaceholderName(placeholder.Source)}' is not available here; available: {(names.Length == 0 ? "no placeholders" : names)}");
                return null;
            }
            if (!CheckPlaceholder(node, where, use, template, placeholder))
            {
                return null;
            }
        }
        return template;
    }

    private bool CheckPlaceholder(YamlScalarNode node, string where, TemplateUse use, Template template, Placeholder placeholder)
    {
        if (placeholder.HasFallback && use == TemplateUse.Url)
        {
            Report(DiagnosticDescriptors.InvalidTemplate, LocateInScalar(node, placeholder.Offset), node.Value ?? "", where,
                "'??' is not available in a URL, whose keys are checked against hosts and their shapes one by one; give an auth alternative its own base_url instead");
            return false;
        }
        if (!placeholder.AsNumber)
        {
            return true;
        }
        if (use != TemplateUse.BodyValue || !template.IsSinglePlaceholder)
        {
            Report(DiagnosticDescriptors.NumberOutsideBody, LocateInScalar(node, placeholder.FilterOffset), node.Value ?? "", where, use == TemplateUse.BodyValue
                ? "the placeholder is part of a text, and a text is a JSON string; make the whole value the placeholder (\"{{id | number}}\") or remove '| number'"
                : "this value is text (paths, queries, headers, auth and response templates are), and a number only matters as a whole value of a JSON body; remove '| number'");
            return false;
        }
        if (placeholder.Default is { } constant && !Json.JsonNumberText.IsNumber(constant))
        {
            Report(DiagnosticDescriptors.NotANumber, LocateInScalar(node, placeholder.DefaultOffset), node.Value ?? "", where,
                $"the default '{constant}'", "a number as JSON writes it (0, -12, 1.5, 2e10; not 007, +1, .5 or 1,000)");
            return false;
        }
        return true;
    }

    private static string PlaceholderName(PlaceholderSource source) => source switch
    {
        PlaceholderSource.Id => "{{id}}",
        PlaceholderSource.Ids => "{{ids}}",
        _ => "{{context.<key>}}",
    };
}

/// <summary>Where a template's text goes, which decides what its placeholders may do.</summary>
internal enum TemplateUse
{
    /// <summary>Text: a path, query, header, auth value or response template (no <c>| number</c>).</summary>
    Text,

    /// <summary>A URL whose keys are checked against hosts and shapes: base_url, the OAuth URLs (no <c>??</c>, no <c>| number</c>).</summary>
    Url,

    /// <summary>A value of a JSON body: <c>| number</c> when the placeholder is the whole value.</summary>
    BodyValue,
}
