using System;
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
        var span = TextSpan.FromBounds((int)start.Index, Math.Max((int)start.Index, (int)end.Index));
        var lines = new LinePositionSpan(
            new LinePosition((int)start.Line - 1, (int)start.Column - 1),
            new LinePosition((int)end.Line - 1, (int)end.Column - 1));
        return new LocationInfo(FilePath, span, lines);
    }

    /// <summary>Loads the single YAML document of a file, or reports TM0001.</summary>
    public YamlMappingNode? Load(string text)
    {
        var stream = new YamlStream();
        var parser = new TrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            Report(DiagnosticDescriptors.YamlSyntax, Locate(e.Start, e.End), Path.GetFileName(FilePath), CleanYamlMessage(e));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (not a YamlException) on some malformed input, e.g.
            // an unclosed flow mapping; the last event it read is the best position there is.
            Report(DiagnosticDescriptors.YamlSyntax, Locate(parser.LastEnd, parser.LastEnd), Path.GetFileName(FilePath),
                "the YAML cannot be read after this point (an unclosed '{', '[' or quote?)");
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

    /// <summary>Remembers where the last parsed event ended, for errors that carry no position.</summary>
    private sealed class TrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = new(0, 1, 1);

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current)
            {
                LastEnd = current.End;
            }
            return moved;
        }
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

    /// <summary>Parses a path expression in a scalar, reporting TM0005 at the bad character.</summary>
    public PathExpression? ParsePath(YamlScalarNode node, string where)
    {
        var (path, error) = PathParser.Parse(node.Value ?? "");
        if (error is not null)
        {
            Report(DiagnosticDescriptors.InvalidPath, LocateInScalar(node, error.Offset), node.Value ?? "", where, $"{error.Message} (at character {error.Offset + 1})");
        }
        return path;
    }

    /// <summary>Parses a template in a scalar, reporting TM0007 at the bad placeholder.</summary>
    public Template? ParseTemplate(YamlScalarNode node, string where, params PlaceholderSource[] allowed)
    {
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
        }
        return template;
    }

    private static string PlaceholderName(PlaceholderSource source) => source switch
    {
        PlaceholderSource.Id => "{{id}}",
        PlaceholderSource.Ids => "{{ids}}",
        _ => "{{context.<key>}}",
    };
}
