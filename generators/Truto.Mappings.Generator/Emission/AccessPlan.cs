using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>
/// What a generated method computes once, decided from the model before any text is written (as
/// Regex's emitter tracks what it already sliced): each node the method reads is a start variable
/// and singular steps from it; a prefix of those steps that several reads share, or that is read
/// inside a loop while it does not change there, becomes a named local, declared once at the top of
/// its scope, and every read goes on from the longest local it starts with.
/// </summary>
internal sealed class AccessPlan
{
    private const string Nav = "JsonNavigation";

    // Longer names are not more readable: past this, a local is named by its number.
    private const int MaxNameLength = 48;

    private readonly AccessPlan? _outer;
    private readonly Dictionary<(string Start, EquatableArray<PathSegment> Steps), string> _locals = new();
    private readonly List<(string Name, string Expression)> _declarations = [];

    private AccessPlan(AccessPlan? outer) => _outer = outer;

    /// <summary>No locals: every read is a chain from its start (methods that read each node once).</summary>
    public static AccessPlan None { get; } = new(null);

    /// <summary>The locals this scope declares, in an order where each is declared before it is used.</summary>
    public IReadOnlyList<(string Name, string Expression)> Declarations => _declarations;

    /// <summary>
    /// Plans a scope from the reads of its method body. Reads from a start this scope does not hold
    /// go on from <paramref name="outer"/>'s locals. <paramref name="takenNames"/> holds every name
    /// already declared in the method, and gets the new ones.
    /// </summary>
    public static AccessPlan Build(IEnumerable<NodeRead> reads, AccessPlan? outer, ISet<string> takenNames)
    {
        var plan = new AccessPlan(outer);
        var prefixes = new Dictionary<(string Start, EquatableArray<PathSegment> Steps), PrefixUse>();
        var order = new List<(string Start, EquatableArray<PathSegment> Steps)>();
        foreach (var read in reads)
        {
            for (var length = 1; length <= read.Steps.Count; length++)
            {
                var key = (read.Start, read.Steps.Take(length).ToEquatableArray());
                if (!prefixes.TryGetValue(key, out var use))
                {
                    use = new PrefixUse();
                    prefixes.Add(key, use);
                    order.Add(key);
                }
                use.Weight += read.Weight;
                if (length == read.Steps.Count)
                {
                    use.IsRead = true;
                }
                else
                {
                    use.Next.Add(read.Steps[length]);
                }
            }
        }
        // A prefix earns a local when it is worth more than one walk and is not merely on the way to
        // one longer prefix (then that one is the local): read itself, or where reads part ways.
        foreach (var key in order.OrderBy(k => k.Steps.Count))
        {
            var use = prefixes[key];
            if (use.Weight >= 2 && (use.IsRead || use.Next.Count >= 2))
            {
                var name = plan.Name(key.Start, key.Steps, takenNames);
                plan._declarations.Add((name, plan.Navigate(key.Start, key.Steps)));
                plan._locals.Add(key, name);
            }
        }
        return plan;
    }

    /// <summary>An expression of type <c>JsonElement?</c>: the node <paramref name="steps"/> away from <paramref name="start"/>, from the longest local on the way.</summary>
    public string Navigate(string start, EquatableArray<PathSegment> steps)
    {
        for (var length = steps.Count; length > 0; length--)
        {
            var prefix = length == steps.Count ? steps : steps.Take(length).ToEquatableArray();
            if (Local(start, prefix) is { } local)
            {
                return Chain(local, steps.Skip(length));
            }
        }
        return Chain(start, steps);
    }

    private string? Local(string start, EquatableArray<PathSegment> steps)
        => _locals.TryGetValue((start, steps), out var name) ? name : _outer?.Local(start, steps);

    /// <summary>The steps as chained navigation calls from <paramref name="start"/>.</summary>
    public static string Chain(string start, IEnumerable<PathSegment> steps)
    {
        var expression = start;
        foreach (var step in steps)
        {
            expression = step switch
            {
                NameSegment name => $"{Nav}.Property({expression}, {CodeWriter.Utf8Literal(name.Name)})",
                IndexSegment index => $"{Nav}.Index({expression}, {index.Index.ToString(CultureInfo.InvariantCulture)})",
                _ => expression,
            };
        }
        return expression;
    }

    /// <summary><c>$.contacts[0].links</c> from <c>root</c> is <c>rootContacts0Links</c>: the start, then each step.</summary>
    private string Name(string start, EquatableArray<PathSegment> steps, ISet<string> takenNames)
    {
        var name = new StringBuilder(start);
        foreach (var step in steps)
        {
            name.Append(step switch
            {
                NameSegment member => GeneratedText.Identifier(member.Name),
                IndexSegment { Index: -1 } => "Last",
                IndexSegment { Index: < 0 } index => "Last" + (-index.Index).ToString(CultureInfo.InvariantCulture),
                IndexSegment index => index.Index.ToString(CultureInfo.InvariantCulture),
                _ => "",
            });
        }
        var candidate = name.Length <= MaxNameLength ? name.ToString() : start + "Node" + (_declarations.Count + 1).ToString(CultureInfo.InvariantCulture);
        var unique = candidate;
        for (var n = 2; !takenNames.Add(unique); n++)
        {
            unique = candidate + "_" + n.ToString(CultureInfo.InvariantCulture);
        }
        return unique;
    }

    private sealed class PrefixUse
    {
        public int Weight { get; set; }

        public bool IsRead { get; set; }

        public HashSet<PathSegment> Next { get; } = [];
    }
}

/// <summary>
/// A node a method reads: a start variable, the singular steps from it, and how much computing it
/// once is worth (2 for a read inside a loop that does not depend on the loop).
/// </summary>
internal readonly record struct NodeRead(string Start, EquatableArray<PathSegment> Steps, int Weight);
