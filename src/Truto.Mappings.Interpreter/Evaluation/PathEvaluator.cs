extern alias generator;

using System.Text;
using System.Text.Json;
using generator::Truto.Mappings.Expressions;
using Truto.Mappings.Json;

namespace Truto.Mappings.Interpreter.Evaluation;

/// <summary>
/// Path expressions evaluated over <see cref="JsonElement"/>, step for step as the generator's
/// <c>PathCompiler</c> compiles them: the same <see cref="JsonNavigation"/> calls, in the same
/// order. A singular path is one chain of <c>Property</c>/<c>Index</c>; any other walks from its
/// singular prefix through <c>Children</c>, checking filters, and yields every match in document
/// order (its first match is what <c>Find{n}</c> returns).
/// </summary>
internal static class PathEvaluator
{
    /// <summary>The first node the path selects (the compiled <c>First</c>), from <paramref name="root"/> for <c>$</c> and <paramref name="current"/> for <c>@</c>.</summary>
    public static JsonElement? First(PathExpression path, JsonElement? root, JsonElement? current)
    {
        var start = Start(path, root, current);
        if (path.IsSingular)
        {
            return Navigate(start, path.Segments, 0, path.Segments.Count);
        }
        foreach (var match in Walk(start, path.Segments, 0, root))
        {
            return match;
        }
        return null;
    }

    /// <summary>
    /// What a compiled <c>foreach</c> walks (the compiled <c>Items</c>): the children of the node a
    /// singular path (or one ending in a single <c>[*]</c>) selects, else every node the path selects.
    /// </summary>
    public static IEnumerable<JsonElement> Items(PathExpression path, JsonElement? root, JsonElement? current)
    {
        var start = Start(path, root, current);
        var prefix = SingularPrefix(path);
        if (path.IsSingular || (prefix == path.Segments.Count - 1 && path.Segments[prefix] is WildcardSegment))
        {
            return JsonNavigation.Children(Navigate(start, path.Segments, 0, prefix));
        }
        return Walk(start, path.Segments, 0, root);
    }

    private static JsonElement? Start(PathExpression path, JsonElement? root, JsonElement? current)
        => path.Root == PathRoot.Document ? root : current;

    private static int SingularPrefix(PathExpression path)
    {
        var count = 0;
        while (count < path.Segments.Count && path.Segments[count] is NameSegment or IndexSegment)
        {
            count++;
        }
        return count;
    }

    /// <summary>Property and index steps <paramref name="from"/> up to <paramref name="to"/>, as <c>AccessPlan.Chain</c> writes them.</summary>
    private static JsonElement? Navigate(JsonElement? node, EquatableArray<PathSegment> segments, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            node = segments[i] switch
            {
                NameSegment name => JsonNavigation.Property(node, Encoding.UTF8.GetBytes(name.Name)),
                IndexSegment index => JsonNavigation.Index(node, index.Index),
                _ => throw new InvalidOperationException("Only name and index steps navigate directly."),
            };
        }
        return node;
    }

    /// <summary>The loops of a compiled <c>Select{n}</c>/<c>Find{n}</c>: a run of direct steps, then one loop per wildcard or filter.</summary>
    private static IEnumerable<JsonElement> Walk(JsonElement? node, EquatableArray<PathSegment> segments, int index, JsonElement? root)
    {
        var end = index;
        while (end < segments.Count && segments[end] is NameSegment or IndexSegment)
        {
            end++;
        }
        var reached = Navigate(node, segments, index, end);
        if (end == segments.Count)
        {
            if (reached is { } found)
            {
                yield return found;
            }
            yield break;
        }
        var filter = (segments[end] as FilterSegment)?.Filter;
        // A filter's right-hand side starts at the root and is the same for every element.
        var other = filter?.Other is { } path ? Navigate(root, path.Segments, 0, path.Segments.Count) : null;
        foreach (var child in JsonNavigation.Children(reached))
        {
            if (filter is not null && !Holds(filter, child, other))
            {
                continue;
            }
            foreach (var match in Walk(child, segments, end + 1, root))
            {
                yield return match;
            }
        }
    }

    private static bool Holds(FilterExpression filter, JsonElement element, JsonElement? other)
    {
        var subject = Navigate(element, filter.Subject.Segments, 0, filter.Subject.Segments.Count);
        if (filter.Operator == FilterOperator.Exists)
        {
            return JsonNavigation.Exists(subject);
        }
        var equal = filter.Other is not null
            ? JsonNavigation.ValuesEqual(subject, other)
            : JsonNavigation.EqualsLiteral(subject, Kind(filter.Literal!.Kind), filter.Literal.Text);
        return filter.Operator == FilterOperator.NotEqual ? !equal : equal;
    }

    /// <summary>The JSON kind a literal compares as (the emitter's <c>JsonValueKind.{Kind}</c>).</summary>
    public static JsonValueKind Kind(LiteralKind kind) => kind switch
    {
        LiteralKind.String => JsonValueKind.String,
        LiteralKind.Number => JsonValueKind.Number,
        LiteralKind.True => JsonValueKind.True,
        LiteralKind.False => JsonValueKind.False,
        _ => JsonValueKind.Null,
    };

    /// <summary>The first of several paths with a text value (<c>a ?? b</c> of <c>AsText</c>s).</summary>
    public static string? FirstText(EquatableArray<PathExpression> paths, JsonElement? root, JsonElement? current)
    {
        foreach (var path in paths)
        {
            if (JsonNavigation.AsText(First(path, root, current)) is { } text)
            {
                return text;
            }
        }
        return null;
    }
}
