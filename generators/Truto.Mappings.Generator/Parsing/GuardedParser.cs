using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Sits between YamlDotNet's event parser (a loop with an explicit state stack) and its node
/// builder (which recurses once per nesting level), and refuses a file before the builder can go
/// too deep or too wide: nesting beyond <see cref="Limits.MaxDepth"/> (TM0013), collections with
/// more than <see cref="Limits.MaxItems"/> entries (TM0015), anchors and aliases (TM0014: an alias
/// can refer to itself or multiply a document exponentially), and unpaired surrogates (TM0001:
/// text that has no UTF-8 form). It also remembers where the last event ended, for errors that
/// carry no position.
/// </summary>
internal sealed class GuardedParser(IParser inner) : IParser
{
    /// <summary>The collections open at the current event, outermost first.</summary>
    private readonly List<Frame> _open = [];

    public Mark LastEnd { get; private set; } = new(0, 1, 1);

    /// <summary>The first anchor (<c>&amp;name</c>) seen; a file with one but no alias is refused after loading.</summary>
    public NodeEvent? FirstAnchor { get; private set; }

    /// <summary>The key path of <see cref="FirstAnchor"/>.</summary>
    public string FirstAnchorWhere { get; private set; } = "";

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        var moved = inner.MoveNext();
        if (inner.Current is { } current)
        {
            LastEnd = current.End;
            Check(current);
        }
        return moved;
    }

    private void Check(ParsingEvent current)
    {
        if (current is NodeEvent or AnchorAlias)
        {
            CountItem(current);
        }
        switch (current)
        {
            case AnchorAlias alias:
                throw new RefusedException(DiagnosticDescriptors.AnchorOrAlias, current, "*" + alias.Value.Value, Where(_open.Count));
            case NodeEvent { Anchor.IsEmpty: false } anchored when FirstAnchor is null:
                FirstAnchor = anchored;
                FirstAnchorWhere = Where(_open.Count);
                break;
        }
        switch (current)
        {
            case MappingStart or SequenceStart:
                if (_open.Count >= Limits.MaxDepth)
                {
                    throw new RefusedException(DiagnosticDescriptors.TooDeep, current, Where(_open.Count),
                        $"mappings and lists nested more than {Limits.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels deep",
                        $"{Limits.MaxDepth.ToString(CultureInfo.InvariantCulture)} levels");
                }
                _open.Add(new Frame(current is MappingStart));
                break;
            case MappingEnd or SequenceEnd when _open.Count > 0:
                _open.RemoveAt(_open.Count - 1);
                break;
            case Scalar scalar when HasUnpairedSurrogate(scalar.Value):
                throw new RefusedException(DiagnosticDescriptors.YamlSyntax, current,
                    "the value contains an unpaired UTF-16 surrogate (a '\\uD800'-'\\uDFFF' escape without its partner), which is not text");
        }
    }

    /// <summary>Counts a node in the collection that holds it; a mapping holds a key and a value per entry.</summary>
    private void CountItem(ParsingEvent current)
    {
        if (_open.Count == 0)
        {
            return;
        }
        var frame = _open[_open.Count - 1];
        frame.Count++;
        if (frame.IsMapping && frame.Count % 2 == 1)
        {
            frame.Key = current is Scalar key ? key.Value : "?";
        }
        var items = frame.IsMapping ? (frame.Count + 1) / 2 : frame.Count;
        if (items > Limits.MaxItems)
        {
            var max = Limits.MaxItems.ToString(CultureInfo.InvariantCulture);
            throw new RefusedException(DiagnosticDescriptors.TooLarge, current, Where(_open.Count - 1),
                frame.IsMapping ? $"a mapping of more than {max} entries" : $"a list of more than {max} items",
                frame.IsMapping ? $"{max} entries" : $"{max} items");
        }
    }

    /// <summary>The key path of the node inside the first <paramref name="frames"/> open collections, e.g. <c>contacts.delete.body</c>.</summary>
    private string Where(int frames)
    {
        var parts = new List<string>();
        for (var i = 0; i < frames; i++)
        {
            var frame = _open[i];
            parts.Add(frame.IsMapping
                ? (parts.Count == 0 ? "" : ".") + frame.Key
                : "[" + System.Math.Max(0, frame.Count - 1).ToString(CultureInfo.InvariantCulture) + "]");
        }
        if (parts.Count == 0)
        {
            return MappingReader.TopLevel;
        }
        // A path 64 levels deep says nothing more than its first and last steps do.
        return parts.Count > 8
            ? string.Concat(parts.Take(4)) + "…" + string.Concat(parts.Skip(parts.Count - 4)).TrimStart('.')
            : string.Concat(parts);
    }

    private static bool HasUnpairedSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }
        return false;
    }

    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public int Count { get; set; }

        public string? Key { get; set; }
    }

#pragma warning disable CA1064, CA1032 // private control-flow exception, caught by ParseContext.Load
    /// <summary>Stops YamlDotNet's node builder at the refused event.</summary>
    internal sealed class RefusedException(DiagnosticDescriptor descriptor, ParsingEvent at, params string[] arguments) : System.Exception(descriptor.Id)
    {
        public DiagnosticDescriptor Descriptor { get; } = descriptor;

        public ParsingEvent At { get; } = at;

        public string[] Arguments { get; } = arguments;
    }
#pragma warning restore CA1064, CA1032
}
