using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Generator.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Reads one YAML mapping whose keys are known in advance: unknown keys are reported (TM0002,
/// with a "did you mean"), required ones checked (TM0003), scalar types checked (TM0008).
/// </summary>
internal sealed class MappingReader
{
    /// <summary>How messages name the root mapping of a file.</summary>
    public const string TopLevel = "the file's top level";

    private readonly ParseContext _context;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    public MappingReader(ParseContext context, YamlMappingNode node, string where, params string[] allowedKeys)
        : this(context, node, where, allowedKeys, [])
    {
    }

    /// <summary>
    /// A reader that leaves out <paramref name="refusedKeys"/> without calling them unknown: keys
    /// the format has, but not here, which the caller reports with the reason (TM0011) and which
    /// the "expected one of" list of an unknown key does not offer.
    /// </summary>
    public MappingReader(ParseContext context, YamlMappingNode node, string where, string[] allowedKeys, string[] refusedKeys)
    {
        _context = context;
        Node = node;
        Where = where;
        var place = where.Length == 0 ? TopLevel : where;
        foreach (var entry in node.Children)
        {
            if (entry.Key is not YamlScalarNode key || key.Value is null)
            {
                context.Report(DiagnosticDescriptors.WrongType, entry.Key, place + " key", "a plain name", ParseContext.Describe(entry.Key));
                continue;
            }
            if (refusedKeys.Contains(key.Value))
            {
                continue;
            }
            if (allowedKeys.Length > 0 && !allowedKeys.Contains(key.Value))
            {
                context.Report(DiagnosticDescriptors.UnknownKey, key, key.Value, place, Suggest(key.Value, allowedKeys), string.Join(", ", allowedKeys));
                continue;
            }
            _entries[key.Value] = (key, entry.Value);
        }
    }

    public YamlMappingNode Node { get; }

    public string Where { get; }

    public IEnumerable<(YamlScalarNode Key, YamlNode Value)> Entries => _entries.Values;

    public string PathOf(string key) => Where.Length == 0 ? key : Where + "." + key;

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YamlNode? Require(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            _context.Report(DiagnosticDescriptors.MissingKey, Node, key, Where.Length == 0 ? "the file" : Where);
        }
        return value;
    }

    public YamlScalarNode? Scalar(string key, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        if (node is null)
        {
            return null;
        }
        if (node is YamlScalarNode scalar && !IsNull(scalar))
        {
            return scalar;
        }
        _context.Report(DiagnosticDescriptors.WrongType, node, PathOf(key), "a text value", ParseContext.Describe(node));
        return null;
    }

    public string? String(string key, bool required = false) => Scalar(key, required)?.Value;

    public YamlMappingNode? Mapping(string key, bool required = false)
    {
        var node = required ? Require(key) : Get(key);
        if (node is null or YamlMappingNode)
        {
            return (YamlMappingNode?)node;
        }
        _context.Report(DiagnosticDescriptors.WrongType, node, PathOf(key), "a mapping of keys to values", ParseContext.Describe(node));
        return null;
    }

    public int? Int(string key, int min, int max)
    {
        var scalar = Scalar(key);
        if (scalar is null)
        {
            return null;
        }
        if (int.TryParse(scalar.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        _context.Report(DiagnosticDescriptors.WrongType, scalar, PathOf(key), $"a whole number from {min} to {max}", ParseContext.Describe(scalar));
        return null;
    }

    public bool? Bool(string key)
    {
        var scalar = Scalar(key);
        switch (scalar?.Value)
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                _context.Report(DiagnosticDescriptors.WrongType, scalar, PathOf(key), "true or false", ParseContext.Describe(scalar));
                return null;
        }
    }

    /// <summary>A scalar or a list of scalars, as a list.</summary>
    public IReadOnlyList<YamlScalarNode> ScalarList(string key)
    {
        var node = Get(key);
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode scalar when !IsNull(scalar):
                return [scalar];
            case YamlSequenceNode list:
                var result = new List<YamlScalarNode>();
                foreach (var item in list.Children)
                {
                    if (item is YamlScalarNode s && !IsNull(s))
                    {
                        result.Add(s);
                    }
                    else
                    {
                        _context.Report(DiagnosticDescriptors.WrongType, item, PathOf(key) + " item", "a text value", ParseContext.Describe(item));
                    }
                }
                return result;
            default:
                _context.Report(DiagnosticDescriptors.WrongType, node, PathOf(key), "a value or a list of values", ParseContext.Describe(node));
                return [];
        }
    }

    /// <summary>A scalar that must be one of <paramref name="allowed"/> (TM0011 otherwise).</summary>
    public string? OneOf(string key, bool required, params string[] allowed)
    {
        var scalar = Scalar(key, required);
        if (scalar is null)
        {
            return null;
        }
        if (allowed.Contains(scalar.Value))
        {
            return scalar.Value;
        }
        _context.Report(DiagnosticDescriptors.InvalidValue, scalar, PathOf(key), scalar.Value ?? "", "one of: " + string.Join(", ", allowed) + Suggest(scalar.Value ?? "", allowed));
        return null;
    }

    public static bool IsNull(YamlScalarNode scalar)
        => scalar.Style == ScalarStyle.Plain && (scalar.Value is null or "" or "~" or "null");

    /// <summary>" (did you mean 'x'?)" when a known word is close to <paramref name="word"/>.</summary>
    public static string Suggest(string word, IEnumerable<string> known)
    {
        var best = known
            .Select(k => (Key: k, Distance: Distance(word.ToLowerInvariant(), k.ToLowerInvariant())))
            .OrderBy(k => k.Distance)
            .FirstOrDefault();
        return best.Key is not null && best.Distance <= Math.Max(2, word.Length / 3) ? $" (did you mean '{best.Key}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            previous = current;
        }
        return previous[b.Length];
    }
}
