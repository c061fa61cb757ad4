using System.Collections.Generic;
using System.Globalization;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// Compiles path expressions to C#: a singular path becomes one chained navigation expression;
/// any other becomes a private iterator method with one loop per wildcard or filter.
/// Compiled once per distinct path text and root in a file.
/// </summary>
internal sealed class PathCompiler
{
    // Short names of AdapterAliases, declared in every adapter file.
    private const string Nav = "JsonNavigation";
    private const string Element = "JsonElement";
    private readonly List<(string Name, PathExpression Path)> _methods = [];

    /// <summary>
    /// True when the compiled path reads the <c>current</c> expression it is given: only paths that
    /// start at <c>@</c>. A filter's own <c>@</c> is the element it tests (a loop variable) and its
    /// right-hand side starts at <c>$</c>, so filters never read it. Emitters decide from this, not
    /// from the text they produced.
    /// </summary>
    public static bool ReadsCurrent(PathExpression path) => path.Root == PathRoot.Current;

    /// <summary>An expression of type JsonElement? (the first match), with root/current in scope.</summary>
    public string First(PathExpression path, string root, string current)
        => path.IsSingular ? Chain(Start(path, root, current), path.Segments) : $"{Nav}.First({Select(path, root, current)})";

    /// <summary>An expression of type IEnumerable&lt;JsonElement&gt; (every match).</summary>
    public string All(PathExpression path, string root, string current)
        => path.IsSingular ? $"{Nav}.Children({First(path, root, current)})" : Select(path, root, current);

    /// <summary>An expression of type IEnumerable&lt;JsonElement&gt;: each match, or the elements of a single matched array.</summary>
    public string Items(PathExpression path, string root, string current)
        => path.IsSingular ? $"{Nav}.Children({First(path, root, current)})" : Select(path, root, current);

    /// <summary>A call of the path's iterator: the document root (for filters comparing with <c>$</c>) and the node the path starts at.</summary>
    private string Select(PathExpression path, string root, string current)
        => $"{Selector(path)}({root}, {Start(path, root, current)})";

    private string Selector(PathExpression path)
    {
        var existing = _methods.FindIndex(m => m.Path == path);
        if (existing >= 0)
        {
            return _methods[existing].Name;
        }
        var name = "Select" + _methods.Count.ToString(CultureInfo.InvariantCulture);
        _methods.Add((name, path));
        return name;
    }

    /// <summary>Writes the iterator methods for the non-singular paths used so far.</summary>
    public void WriteMethods(CodeWriter code)
    {
        for (var i = 0; i < _methods.Count; i++)
        {
            var (name, path) = _methods[i];
            code.Line();
            code.Line($"/// <summary>Every node matching <c>{CodeWriter.Xml(path.Text)}</c>.</summary>");
            code.Open($"private static Generic.IEnumerable<{Element}> {name}({Element}? root, {Element}? start)");
            WriteLoops(code, path.Segments, 0, "start", 0);
            code.Close();
        }
    }

    private static void WriteLoops(CodeWriter code, EquatableArray<PathSegment> segments, int index, string node, int depth)
    {
        var run = new List<PathSegment>();
        while (index < segments.Count && segments[index] is NameSegment or IndexSegment)
        {
            run.Add(segments[index++]);
        }
        var expression = Chain(node, run.ToEquatableArray());
        if (index == segments.Count)
        {
            code.Open($"if ({expression} is {{ }} found{depth})");
            code.Line($"yield return found{depth};");
            code.Close();
            return;
        }
        var variable = "e" + depth.ToString(CultureInfo.InvariantCulture);
        code.Open($"foreach (var {variable} in {Nav}.Children({expression}))");
        if (segments[index] is FilterSegment filter)
        {
            code.Open($"if (!({Predicate(filter.Filter, $"({Element}?){variable}")}))");
            code.Line("continue;");
            code.Close();
        }
        WriteLoops(code, segments, index + 1, $"({Element}?){variable}", depth + 1);
        code.Close();
    }

    private static string Predicate(FilterExpression filter, string element)
    {
        var subject = Chain(element, filter.Subject.Segments);
        if (filter.Operator == FilterOperator.Exists)
        {
            return $"{Nav}.Exists({subject})";
        }
        var comparison = filter.Other is not null
            ? $"{Nav}.ValuesEqual({subject}, {Chain("root", filter.Other.Segments)})"
            : $"{Nav}.EqualsLiteral({subject}, JsonValueKind.{Kind(filter.Literal!.Kind)}, {CodeWriter.Literal(filter.Literal.Text)})";
        return filter.Operator == FilterOperator.NotEqual ? "!" + comparison : comparison;
    }

    private static string Kind(LiteralKind kind) => kind switch
    {
        LiteralKind.String => "String",
        LiteralKind.Number => "Number",
        LiteralKind.True => "True",
        LiteralKind.False => "False",
        _ => "Null",
    };

    private static string Start(PathExpression path, string root, string current)
        => path.Root == PathRoot.Document ? root : current;

    private static string Chain(string start, EquatableArray<PathSegment> segments)
    {
        var expression = start;
        foreach (var segment in segments)
        {
            expression = segment switch
            {
                NameSegment name => $"{Nav}.Property({expression}, {CodeWriter.Utf8Literal(name.Name)})",
                IndexSegment index => $"{Nav}.Index({expression}, {index.Index.ToString(CultureInfo.InvariantCulture)})",
                _ => expression,
            };
        }
        return expression;
    }
}
