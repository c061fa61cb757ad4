using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// The <c>context:</c> section: every key an account holds for this provider, declared once with
/// its type, secrecy, label, help and, for keys that form the base URL, its shape. Every
/// <c>{{context.…}}</c> a template reads must be declared (TM0019); a key that forms the base URL
/// must have a shape (TM0020); a malformed entry is TM0021.
/// </summary>
internal sealed partial class ProviderFileParser
{
    /// <summary>Dotted names of letters, digits, '_' and '-' (what a template can name and JSON can hold).</summary>
    private static readonly Regex ContextKeyName = new(@"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$", RegexOptions.CultureInvariant);

    /// <summary>RFC 3986 unreserved characters: a one_of value can stand anywhere in a URL as it is.</summary>
    private static readonly Regex UnreservedText = new("^[A-Za-z0-9._~-]+$", RegexOptions.CultureInvariant);

    private static readonly string[] ContextEntryKeys = ["label", "help", "type", "secret", "shape"];
    private static readonly string[] TypeNames = ["string", "number", "boolean"];
    private static readonly string[] ShapeNames = ["dns_label", "https_origin", "path_segment", "one_of"];

    /// <summary>A context key a template reads, where (for the message) and at which placeholder.</summary>
    private sealed record ContextRead(string Key, LocationInfo Location, string Where);

    /// <summary>A well-formed declaration and where its key stands.</summary>
    private sealed record DeclaredKey(LocationInfo Location, string Name, ContextValueType Type, bool Secret, string Label, string? Help, ContextShapeKind? Shape, EquatableArray<string> ShapeValues);

    /// <summary>A fallback chain without a default (<c>{{context.a ?? context.b}}</c>): its keys, of which an account needs one, and where.</summary>
    private sealed record ContextChoiceRead(EquatableArray<string> Keys, string Where);

    /// <summary>The reads written as JSON numbers (<c>| number</c>): their keys must be able to hold one (TM0029).</summary>
    private readonly List<ContextRead> _numberReads = [];

    /// <summary>Every fallback chain without a default, for the required-choice check.</summary>
    private readonly List<ContextChoiceRead> _contextChoices = [];

    /// <summary>Every key the section names, valid or not: a read of a key declared wrongly is not "undeclared" as well.</summary>
    private readonly HashSet<string> _declaredNames = new(System.StringComparer.Ordinal);

    private List<DeclaredKey> ParseContextSection(YamlMappingNode node)
    {
        var declared = new List<DeclaredKey>();
        foreach (var (key, value) in new MappingReader(_context, node, "context").Entries)
        {
            var name = key.Value!;
            var where = "context." + name;
            _declaredNames.Add(name);
            if (!ContextKeyName.IsMatch(name))
            {
                _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, key, where,
                    $"'{name}' is not a key name; expected letters, digits, '_' and '-', with '.' between nested names (oauth.token.access_token)");
                continue;
            }
            if (name == "base_url")
            {
                _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, key, where,
                    "base_url is the override every account may set and operators configure; it is never declared, remove this entry");
                continue;
            }
            if (declared.FirstOrDefault(d => Holds(d.Name, name) || Holds(name, d.Name)) is { } other)
            {
                var (outer, inner) = Holds(other.Name, name) ? (other.Name, name) : (name, other.Name);
                _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, key, where,
                    $"'{outer}' would hold '{inner}', so both cannot be values; declare only the leaf keys");
                continue;
            }
            if (value is not YamlMappingNode entry)
            {
                _context.Report(DiagnosticDescriptors.WrongType, value, where, "a mapping with label (and help, type, secret, shape)", ParseContext.Describe(value));
                continue;
            }
            if (ParseDeclaration(key, entry, name, where) is { } declaration)
            {
                declared.Add(declaration);
            }
        }
        return declared;
    }

    /// <summary>True when <paramref name="outer"/> is an object that holds <paramref name="inner"/> (<c>oauth</c>, <c>oauth.token</c>).</summary>
    private static bool Holds(string outer, string inner)
        => inner.Length > outer.Length && inner.StartsWith(outer + ".", System.StringComparison.Ordinal);

    private DeclaredKey? ParseDeclaration(YamlScalarNode key, YamlMappingNode entry, string name, string where)
    {
        var reader = new MappingReader(_context, entry, where, ContextEntryKeys);
        var valid = true;
        var label = reader.String("label");
        if (label is null && reader.Get("label") is null)
        {
            _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, key, where,
                "it has no label; add label: with the short name people see when they connect an account (label: API key)");
        }
        var help = reader.String("help");
        var secret = reader.Bool("secret") ?? false;
        var type = ContextValueType.Text;
        if (reader.Scalar("type") is { } typeNode)
        {
            switch (typeNode.Value)
            {
                case "string":
                    break;
                case "number":
                    type = ContextValueType.Number;
                    break;
                case "boolean":
                    type = ContextValueType.Boolean;
                    break;
                default:
                    _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, typeNode, where + ".type",
                        $"type '{typeNode.Value}' is unknown{MappingReader.Suggest(typeNode.Value ?? "", TypeNames)}; expected string (the default), number or boolean");
                    valid = false;
                    break;
            }
        }
        var (shape, values, shapeValid) = ParseShape(reader.Get("shape"), where + ".shape");
        if (shape is not null && type != ContextValueType.Text)
        {
            _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, reader.Get("shape"), where,
                "a shape applies to text only; remove shape, or make the type string");
            valid = false;
        }
        return valid && shapeValid && label is not null
            ? new DeclaredKey(_context.Locate(key), name, type, secret, label, help, shape, values)
            : null;
    }

    private (ContextShapeKind? Shape, EquatableArray<string> Values, bool Valid) ParseShape(YamlNode? node, string where)
    {
        const string Expected = "expected dns_label, https_origin, path_segment or {one_of: [value, …]}";
        switch (node)
        {
            case null:
                return (null, [], true);
            case YamlScalarNode scalar:
                switch (scalar.Value)
                {
                    case "dns_label":
                        return (ContextShapeKind.DnsLabel, [], true);
                    case "https_origin":
                        return (ContextShapeKind.HttpsOrigin, [], true);
                    case "path_segment":
                        return (ContextShapeKind.PathSegment, [], true);
                    default:
                        _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, scalar, where,
                            $"shape '{scalar.Value}' is unknown{MappingReader.Suggest(scalar.Value ?? "", ShapeNames)}; {Expected}");
                        return (null, [], false);
                }
            case YamlMappingNode map:
                var reader = new MappingReader(_context, map, where, "one_of");
                if (reader.Get("one_of") is not YamlSequenceNode list || list.Children.Count == 0)
                {
                    _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, reader.Get("one_of") ?? map, where,
                        "one_of must list the allowed values, e.g. {one_of: [us, eu]}");
                    return (null, [], false);
                }
                var values = new List<string>();
                foreach (var item in list.Children)
                {
                    if (item is not YamlScalarNode value || MappingReader.IsNull(value) || !UnreservedText.IsMatch(value.Value!) || value.Value is "." or "..")
                    {
                        _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, item, where,
                            $"the one_of value {ParseContext.Describe(item)} cannot stand in a URL as it is; expected letters, digits, '-', '.', '_' and '~' (and not '.' or '..')");
                        return (null, [], false);
                    }
                    if (values.Contains(value.Value!))
                    {
                        _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, item, where, $"one_of lists '{value.Value}' twice; expected each value once");
                        return (null, [], false);
                    }
                    values.Add(value.Value!);
                }
                return (ContextShapeKind.OneOf, values.ToEquatableArray(), true);
            default:
                _context.Report(DiagnosticDescriptors.InvalidContextDeclaration, node, where, $"the shape is {ParseContext.Describe(node)}; {Expected}");
                return (null, [], false);
        }
    }

    /// <summary>
    /// Every read key must be declared (TM0019, with the nearest declared key as a suggestion), and
    /// every key base_url reads must have a shape (TM0020). A declared key no template reads is
    /// accepted: it tells people what to store and marks it secret, and is optional.
    /// </summary>
    /// <summary>
    /// The fallback chains an account must satisfy (one key of each present), after <see cref="CheckContextReads"/>:
    /// each once, and none with a key that is required anyway.
    /// </summary>
    private EquatableArray<EquatableArray<string>> RequiredChoices()
        => _contextChoices
            .Select(c => c.Keys)
            .Where(keys => !keys.Any(_contextKeys.Contains))
            .Distinct()
            .ToEquatableArray();

    private List<ContextKeySpec> CheckContextReads(List<DeclaredKey> declared, bool conditional)
    {
        if (conditional)
        {
            // With auth alternatives, what auth and the base URLs read depends on the alternative the
            // account selects: those keys are not required of every account (a missing one is still
            // the caller's 400 when the call is built). Keys other templates read stay required.
            _contextKeys.RemoveWhere(k => !_contextReads.Any(r => r.Key == k && !IsAlternativeRead(r.Where)));
            _contextChoices.RemoveAll(c => IsAlternativeRead(c.Where));
        }
        foreach (var read in _numberReads)
        {
            if (declared.FirstOrDefault(d => d.Name == read.Key) is { Type: ContextValueType.Boolean })
            {
                _context.Report(DiagnosticDescriptors.NotANumber, read.Location, read.Key, read.Where,
                    "its declared type, boolean,", "a key of type number (or string holding a number), or no '| number'");
            }
        }
        var names = declared.Select(d => d.Name).ToArray();
        foreach (var read in _contextReads.Where(r => !_declaredNames.Contains(r.Key)))
        {
            _context.Report(DiagnosticDescriptors.UndeclaredContextKey, read.Location, read.Where, read.Key, MappingReader.Suggest(read.Key, names));
        }
        // Keys that form a URL: base_url, and the OAuth URLs (the token request carries the client secret);
        // and keys a scope reads, since a value with white space would add scopes of its own.
        foreach (var key in declared.Where(d => d.Shape is null))
        {
            if (_contextReads.FirstOrDefault(r => r.Key == key.Name && (r.Where is "base_url" or AuthorizeUrlKey or TokenUrlKey or ScopesKey || IsAlternativeBaseUrl(r.Where))) is { } read)
            {
                _context.Report(DiagnosticDescriptors.UrlKeyWithoutShape, key.Location, key.Name, read.Where);
            }
        }
        return declared
            .Select(d => new ContextKeySpec(d.Name, d.Type, d.Secret, d.Label, d.Help, _contextKeys.Contains(d.Name), d.Shape, d.ShapeValues))
            .ToList();
    }
}
