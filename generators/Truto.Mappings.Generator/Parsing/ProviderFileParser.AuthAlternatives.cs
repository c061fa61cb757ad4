using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// <c>auth:</c> as a list of alternatives (Pipedrive: an OAuth bearer token or an API key): each
/// item is an auth mapping; every item but the last names, in <c>when</c>, the context key whose
/// presence selects it, and may replace the file's base URL with its own <c>base_url</c>; the last
/// is the default. Mistakes are TM0027.
/// </summary>
internal sealed partial class ProviderFileParser
{
    private sealed record AlternativeBaseUrl(YamlScalarNode Node, Template Template, string Where);

    private readonly List<AlternativeBaseUrl> _alternativeBaseUrls = [];

    private static bool IsAlternativeRead(string where)
        => where == "base_url" || where.StartsWith("auth", System.StringComparison.Ordinal);

    private static bool IsAlternativeBaseUrl(string where)
        => where.StartsWith("auth[", System.StringComparison.Ordinal) && where.EndsWith("].base_url", System.StringComparison.Ordinal);

    private (AuthSpec? Default, EquatableArray<AuthSpec> Alternatives) ParseAuthAlternatives(YamlSequenceNode list, List<DeclaredKey> declared)
    {
        if (list.Children.Count < 2)
        {
            _context.Report(DiagnosticDescriptors.InvalidAuthAlternatives, list, "auth",
                "a list of alternatives needs at least two; write auth as one mapping (type: bearer, …) otherwise");
            return (null, []);
        }
        var names = declared.Select(d => d.Name).ToArray();
        var parsed = new List<AuthSpec>();
        var valid = true;
        var chosenBy = new HashSet<string>(System.StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var where = "auth[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            var last = i == list.Children.Count - 1;
            if (list.Children[i] is not YamlMappingNode item)
            {
                _context.Report(DiagnosticDescriptors.WrongType, list.Children[i], where, "an auth mapping (type: bearer, basic or headers)", ParseContext.Describe(list.Children[i]));
                valid = false;
                continue;
            }
            var auth = ParseAuth(item, where, "when", "base_url");
            // ParseAuth has reported unknown keys already: this reader only reads when and base_url.
            var reader = new MappingReader(_context, item, where);
            var whenNode = reader.Get("when");
            string? when = null;
            if (last && whenNode is not null)
            {
                _context.Report(DiagnosticDescriptors.InvalidAuthAlternatives, whenNode, where + ".when",
                    "the last alternative is the default, used when no other one's key is present; remove its when");
                valid = false;
            }
            else if (!last && whenNode is null)
            {
                _context.Report(DiagnosticDescriptors.InvalidAuthAlternatives, item, where,
                    "every alternative but the last names the context key whose presence selects it (when: oauth.token.access_token)");
                valid = false;
            }
            else if (!last && reader.Scalar("when") is { } whenScalar)
            {
                when = whenScalar.Value!;
                if (!_declaredNames.Contains(when))
                {
                    _context.Report(DiagnosticDescriptors.InvalidAuthAlternatives, whenScalar, where + ".when",
                        $"it names context key '{when}', which the context section does not declare{MappingReader.Suggest(when, names)}; declare it, or name a declared key");
                    valid = false;
                }
                else if (!chosenBy.Add(when))
                {
                    _context.Report(DiagnosticDescriptors.InvalidAuthAlternatives, whenScalar, where + ".when",
                        $"an earlier alternative is chosen by '{when}' already, so this one could never be; name another key");
                    valid = false;
                }
            }
            Template? baseUrl = null;
            if (reader.Scalar("base_url") is { } baseUrlNode)
            {
                var key = where + ".base_url";
                baseUrl = Collect(_context.ParseTemplate(baseUrlNode, key, TemplateUse.Url, PlaceholderSource.Context), baseUrlNode, key);
                if (baseUrl is not null)
                {
                    _alternativeBaseUrls.Add(new AlternativeBaseUrl(baseUrlNode, baseUrl, key));
                }
            }
            if (auth is null)
            {
                valid = false;
                continue;
            }
            parsed.Add(auth with { When = when, BaseUrl = baseUrl });
        }
        return valid && parsed.Count == list.Children.Count
            ? (parsed[parsed.Count - 1], parsed.Take(parsed.Count - 1).ToEquatableArray())
            : (null, []);
    }

    /// <summary>Each alternative's base URL is checked as the file's is (https, inside hosts).</summary>
    private void CheckAlternativeBaseUrls(EquatableArray<string> hosts, List<ContextKeySpec> context)
    {
        foreach (var url in _alternativeBaseUrls)
        {
            CheckBaseUrl(url.Node, url.Template, hosts, context, url.Where);
        }
    }
}
