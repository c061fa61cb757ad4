using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// What the runtime checks ids against before sending them: the resource's <c>id_pattern</c>
/// (TM0023 when it is not a regular expression) and the separator a batch joins ids with.
/// </summary>
internal sealed partial class ProviderFileParser
{
    /// <summary>
    /// The id pattern as the runtime compiles it: anchored around a non-capturing group, culture
    /// invariant, with a match timeout. <c>\A</c> and <c>\z</c>, not <c>^</c> and <c>$</c>: <c>$</c> also
    /// matches before a final line feed, and <c>"51\n"</c> is no id. The pattern is parsed alone too,
    /// so that text such as <c>a)|(b</c>, which only parses inside the group, cannot unanchor it.
    /// </summary>
    public static string AnchoredIdPattern(string pattern) => @"\A(?:" + pattern + @")\z";

    private string? ParseIdPattern(MappingReader reader)
    {
        if (reader.Scalar("id_pattern") is not { } node)
        {
            return null;
        }
        var pattern = node.Value!;
        var where = reader.PathOf("id_pattern");
        if (pattern.Length > Limits.MaxPatternLength)
        {
            _context.Report(DiagnosticDescriptors.TooLarge, node, where,
                $"a pattern of {pattern.Length.ToString(CultureInfo.InvariantCulture)} characters", $"{Limits.MaxPatternLength.ToString(CultureInfo.InvariantCulture)} characters");
            return null;
        }
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant);
            _ = new Regex(AnchoredIdPattern(pattern), RegexOptions.CultureInvariant);
            return pattern;
        }
        catch (System.ArgumentException e)
        {
            _context.Report(DiagnosticDescriptors.InvalidIdPattern, node, where, pattern, e.Message);
            return null;
        }
    }

    /// <summary>
    /// The separator of <c>{{ids | join('sep')}}</c> in a batch request (path, query, headers or
    /// body text), so the runtime can refuse an id that contains it; one non-empty separator per
    /// request, else ids could not be told apart (TM0011).
    /// </summary>
    private string? JoinSeparator(RequestSpec request, MappingReader reader, string where)
    {
        var separators = Templates(request).SelectMany(t => t.Parts)
            .Select(p => p.Placeholder)
            .Where(p => p is { Source: PlaceholderSource.Ids, JoinSeparator: not null })
            .Select(p => p!.JoinSeparator!)
            .Distinct(System.StringComparer.Ordinal)
            .ToList();
        if (separators.Count > 1 || separators.Any(s => s.Length == 0))
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, reader.Node, where,
                string.Join(" and ", separators.Select(s => "{{ids | join('" + s + "')}}")),
                "one non-empty separator for every join of the ids in a request (join(',')), so no id can be mistaken for two");
            return null;
        }
        return separators.Count == 1 ? separators[0] : null;
    }

    private static System.Collections.Generic.IEnumerable<Template> Templates(RequestSpec request)
    {
        yield return request.Path;
        foreach (var named in request.Query.Concat(request.Headers))
        {
            yield return named.Value;
        }
        foreach (var template in BodyTemplates(request.Body))
        {
            yield return template;
        }
    }

    private static System.Collections.Generic.IEnumerable<Template> BodyTemplates(BodyNode? body)
    {
        if (body is null)
        {
            yield break;
        }
        if (body.Template is not null)
        {
            yield return body.Template;
        }
        foreach (var child in body.Properties.Select(p => p.Value).Concat(body.Items))
        {
            foreach (var template in BodyTemplates(child))
            {
                yield return template;
            }
        }
    }
}
