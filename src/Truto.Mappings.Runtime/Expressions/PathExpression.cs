using System.Linq;

namespace Truto.Mappings.Expressions;

/// <summary>Where a path starts: <c>$</c> is the whole provider response, <c>@</c> the current item.</summary>
internal enum PathRoot
{
    /// <summary><c>$</c>: the root of the document.</summary>
    Document,

    /// <summary><c>@</c>: the current item (inside <c>each</c>, <c>items</c> and filters).</summary>
    Current,
}

/// <summary>
/// A parsed path expression: the supported subset of JSONPath (RFC 9535). One tree serves the
/// generator (which compiles it to direct JSON navigation) and the runtime's interpreter. The
/// whole expression model is internal shared source: compiled into both assemblies, part of
/// neither one's public API.
/// </summary>
/// <param name="Root">Where the path starts.</param>
/// <param name="Segments">The steps from the root, in order.</param>
/// <param name="Text">The source text, kept for messages and generated comments.</param>
internal sealed record PathExpression(PathRoot Root, EquatableArray<PathSegment> Segments, string Text)
{
    /// <summary>True when the path selects at most one node (no wildcard, no filter).</summary>
    public bool IsSingular => Segments.All(s => s is NameSegment or IndexSegment);

    /// <inheritdoc />
    public override string ToString() => Text;
}

/// <summary>One step of a <see cref="PathExpression"/>.</summary>
internal abstract record PathSegment;

/// <summary><c>.name</c> or <c>['name']</c>: a member of an object.</summary>
internal sealed record NameSegment(string Name) : PathSegment;

/// <summary><c>[n]</c>: an array element; negative counts from the end.</summary>
internal sealed record IndexSegment(int Index) : PathSegment;

/// <summary><c>[*]</c> or <c>.*</c>: every element of an array or member of an object.</summary>
internal sealed record WildcardSegment : PathSegment;

/// <summary><c>[?…]</c>: the elements of an array for which the filter holds.</summary>
internal sealed record FilterSegment(FilterExpression Filter) : PathSegment;

/// <summary>How a filter compares its subject.</summary>
internal enum FilterOperator
{
    /// <summary><c>[?@.a]</c>: the subject exists.</summary>
    Exists,

    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,
}

/// <summary>
/// A filter: a singular path relative to the element (<c>@…</c>) compared with a literal or with
/// a singular path from the document root (<c>$…</c>), e.g. <c>[?@.id == $.links.owner]</c>.
/// </summary>
internal sealed record FilterExpression(
    PathExpression Subject,
    FilterOperator Operator,
    LiteralValue? Literal,
    PathExpression? Other);

/// <summary>The kind of a literal in a filter.</summary>
internal enum LiteralKind
{
    /// <summary>A quoted string.</summary>
    String,

    /// <summary>A number, kept as its source text.</summary>
    Number,

    /// <summary><c>true</c></summary>
    True,

    /// <summary><c>false</c></summary>
    False,

    /// <summary><c>null</c></summary>
    Null,
}

/// <summary>A literal value in a filter.</summary>
internal sealed record LiteralValue(LiteralKind Kind, string Text);

/// <summary>A parse failure: what went wrong and where (0-based offset into the text).</summary>
internal sealed record ExpressionError(string Message, int Offset);
