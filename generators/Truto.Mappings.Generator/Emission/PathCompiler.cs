using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// Compiles path expressions to C#. A singular path is one navigation expression, from the longest
/// local of the <see cref="AccessPlan"/> it starts with. Any other path walks from its singular
/// prefix: one trailing <c>[*]</c> is a plain <c>foreach</c> over <c>JsonNavigation.Children</c>
/// (a struct); the first node of any other shape is a private method with one loop per wildcard or
/// filter that returns as soon as it finds it (<c>Find{n}</c>), and every node of one is a private
/// iterator (<c>Select{n}</c>). The right-hand sides of filters, which do not change from one element
/// to the next, are computed once by the caller and passed in. Methods are emitted once per
/// distinct path in a file.
/// </summary>
internal sealed class PathCompiler
{
    // Short names of AdapterAliases, declared in every adapter file.
    private const string Nav = "JsonNavigation";
    private const string Element = "JsonElement";
    private readonly List<(string Name, PathExpression Path, bool Every)> _methods = [];

    /// <summary>
    /// True when the compiled path reads the <c>current</c> expression it is given: only paths that
    /// start at <c>@</c>. A filter's own <c>@</c> is the element it tests (a loop variable) and its
    /// right-hand side starts at <c>$</c>, so filters never read it. Emitters decide from this, not
    /// from the text they produced.
    /// </summary>
    public static bool ReadsCurrent(PathExpression path) => path.Root == PathRoot.Current;

    /// <summary>
    /// The nodes a compiled path reads from its start variables: its singular prefix, and the
    /// right-hand side of each of its filters (from the root). What an <see cref="AccessPlan"/> is built from.
    /// </summary>
    public static IEnumerable<NodeRead> Reads(PathExpression path, string root, string current)
    {
        var prefix = SingularPrefix(path);
        if (prefix.Count > 0)
        {
            yield return new NodeRead(Start(path, root, current), prefix, 1);
        }
        foreach (var other in Filters(path).Where(f => f.Other is { Segments.Count: > 0 }).Select(f => f.Other!))
        {
            yield return new NodeRead(root, other.Segments, 1);
        }
    }

    /// <summary>An expression of type <c>JsonElement?</c> (the first match), with root/current in scope.</summary>
    public string First(PathExpression path, string root, string current, AccessPlan plan)
        => path.IsSingular ? plan.Navigate(Start(path, root, current), path.Segments) : Call(path, root, current, plan, every: false);

    /// <summary>
    /// An expression a <c>foreach</c> walks, of <c>JsonElement</c>s: each match, or the children of a
    /// single matched node.
    /// </summary>
    public string Items(PathExpression path, string root, string current, AccessPlan plan)
    {
        var prefix = SingularPrefix(path);
        return path.IsSingular || (prefix.Count == path.Segments.Count - 1 && path.Segments[prefix.Count] is WildcardSegment)
            ? $"{Nav}.Children({plan.Navigate(Start(path, root, current), prefix)})"
            : Call(path, root, current, plan, every: true);
    }

    /// <summary>A call of the path's method: the node its walk starts at, then each filter's right-hand side.</summary>
    private string Call(PathExpression path, string root, string current, AccessPlan plan, bool every)
    {
        var arguments = new List<string> { plan.Navigate(Start(path, root, current), SingularPrefix(path)) };
        arguments.AddRange(Filters(path).Where(f => f.Other is not null).Select(f => plan.Navigate(root, f.Other!.Segments)));
        return $"{Method(path, every)}({string.Join(", ", arguments)})";
    }

    private string Method(PathExpression path, bool every)
    {
        var existing = _methods.FindIndex(m => m.Every == every && m.Path == path);
        if (existing >= 0)
        {
            return _methods[existing].Name;
        }
        var name = (every ? "Select" : "Find") + _methods.Count(m => m.Every == every).ToString(CultureInfo.InvariantCulture);
        _methods.Add((name, path, every));
        return name;
    }

    /// <summary>Writes the methods for the non-singular paths used so far.</summary>
    public void WriteMethods(CodeWriter code)
    {
        foreach (var (name, path, every) in _methods)
        {
            var walk = path.Segments.Skip(SingularPrefix(path).Count).ToEquatableArray();
            var text = path.Text;
            var others = walk.OfType<FilterSegment>().Count(f => f.Filter.Other is not null);
            var parameters = string.Concat(Enumerable.Range(0, others).Select(i => $", {Element}? other{i.ToString(CultureInfo.InvariantCulture)}"));
            var inputs = "walked from <paramref name=\"start\"/> (what the path selects before its first wildcard or filter)"
                + (others > 0 ? ", its filters' right-hand sides computed once by the caller (<paramref name=\"other0\"/>…)" : "");
            code.Line();
            if (every)
            {
                code.Line($"/// <summary>Every node matching <c>{CodeWriter.Xml(text)}</c>, {inputs}.</summary>");
                code.Open($"private static Generic.IEnumerable<{Element}> {name}({Element}? start{parameters})");
            }
            else
            {
                code.Line($"/// <summary>The first node matching <c>{CodeWriter.Xml(text)}</c>, {inputs}.</summary>");
                code.Open($"private static {Element}? {name}({Element}? start{parameters})");
            }
            var filters = 0;
            WriteLoops(code, walk, 0, "start", 0, every, ref filters);
            if (!every)
            {
                code.Line("return null;");
            }
            code.Close();
        }
    }

    private static void WriteLoops(CodeWriter code, EquatableArray<PathSegment> segments, int index, string node, int depth, bool every, ref int filters)
    {
        var run = new List<PathSegment>();
        while (index < segments.Count && segments[index] is NameSegment or IndexSegment)
        {
            run.Add(segments[index++]);
        }
        var expression = AccessPlan.Chain(node, run);
        if (index == segments.Count)
        {
            code.Open($"if ({expression} is {{ }} found{depth})");
            code.Line(every ? $"yield return found{depth};" : $"return found{depth};");
            code.Close();
            return;
        }
        var variable = "e" + depth.ToString(CultureInfo.InvariantCulture);
        code.Open($"foreach (var {variable} in {Nav}.Children({expression}))");
        if (segments[index] is FilterSegment filter)
        {
            code.Open($"if (!({Predicate(filter.Filter, $"({Element}?){variable}", ref filters)}))");
            code.Line("continue;");
            code.Close();
        }
        WriteLoops(code, segments, index + 1, $"({Element}?){variable}", depth + 1, every, ref filters);
        code.Close();
    }

    private static string Predicate(FilterExpression filter, string element, ref int filters)
    {
        var subject = AccessPlan.Chain(element, filter.Subject.Segments);
        if (filter.Operator == FilterOperator.Exists)
        {
            return $"{Nav}.Exists({subject})";
        }
        var comparison = filter.Other is not null
            ? $"{Nav}.ValuesEqual({subject}, other{(filters++).ToString(CultureInfo.InvariantCulture)})"
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

    /// <summary>The steps before the first wildcard or filter: the node the path's walk starts from.</summary>
    private static EquatableArray<PathSegment> SingularPrefix(PathExpression path)
        => path.Segments.TakeWhile(s => s is NameSegment or IndexSegment).ToEquatableArray();

    private static IEnumerable<FilterExpression> Filters(PathExpression path)
        => path.Segments.OfType<FilterSegment>().Select(f => f.Filter);

    private static string Start(PathExpression path, string root, string current)
        => path.Root == PathRoot.Document ? root : current;
}
