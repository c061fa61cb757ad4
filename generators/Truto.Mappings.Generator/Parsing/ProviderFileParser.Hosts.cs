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
/// <c>hosts:</c>, the hosts a provider's calls may reach, and the check that base_url stays inside
/// them (TM0022). Required: the runtime refuses every call whose host is not declared.
/// </summary>
internal sealed partial class ProviderFileParser
{
    private const string HostsExpected = "a lower-case host name without scheme, port or path (api.example.com), or '*.' and a domain of at least two labels (\"*.example.com\", its subdomains)";

    /// <summary>Labels of letters, digits and inner hyphens, at least two, the last with a letter (so no IP address).</summary>
    private static readonly Regex HostName = new(
        @"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{0,62}[a-z][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant);

    /// <summary>Probes for the host check: a value of no declared host, so only a wildcard covers a dns_label.</summary>
    private const string AnyLabel = "{any-label}";

    /// <summary>More hosts than this to check from one_of values is not worth the build time.</summary>
    private const int MaxHostProbes = 1_024;

    private EquatableArray<string> ParseHosts(MappingReader reader)
    {
        var node = reader.Get("hosts");
        if (node is null)
        {
            _context.Report(DiagnosticDescriptors.InvalidHosts, reader.Node, "The file declares no hosts",
                "hosts: the list of hosts calls may reach, e.g. hosts: [api.example.com] or hosts: [\"*.example.com\"]");
            return [];
        }
        var hosts = new List<string>();
        var items = reader.ScalarList("hosts");
        if (items.Count == 0 && node is YamlSequenceNode { Children.Count: 0 })
        {
            _context.Report(DiagnosticDescriptors.InvalidHosts, node, "'hosts' is empty", "at least one host name");
        }
        foreach (var item in items)
        {
            var host = item.Value!;
            if (host.Length > 253 || !HostName.IsMatch(host))
            {
                _context.Report(DiagnosticDescriptors.InvalidHosts, item, $"'{host}' in hosts is not a host name", HostsExpected);
            }
            else if (hosts.Contains(host))
            {
                _context.Report(DiagnosticDescriptors.InvalidHosts, item, $"'{host}' is listed twice in hosts", "each host once");
            }
            else
            {
                hosts.Add(host);
            }
        }
        return hosts.ToEquatableArray();
    }

    /// <summary>True when <paramref name="host"/> is a declared name, or a subdomain of a declared <c>*.domain</c>.</summary>
    private static bool Covers(IEnumerable<string> hosts, string host)
        => hosts.Any(h => h.StartsWith("*.", System.StringComparison.Ordinal)
            ? host.Length > h.Length - 1 && host.EndsWith(h.Substring(1), System.StringComparison.Ordinal)
            : host == h);

    /// <summary>
    /// base_url is https (TM0011), and its host lies inside hosts (TM0022): checked as written when
    /// it is literal, for every listed value of a one_of key, and for any label of a dns_label key
    /// (which only a wildcard covers). A base_url that starts with a key (an https_origin such as
    /// Salesforce's instance_url) has no host to check here: the runtime checks it per account.
    /// </summary>
    private void CheckBaseUrl(YamlScalarNode node, Template baseUrl, EquatableArray<string> hosts, List<ContextKeySpec> context)
    {
        var parts = baseUrl.Parts;
        if (parts.Count == 0 || parts[0].Placeholder is not null)
        {
            return;
        }
        const string Https = "https://";
        if (!parts[0].Literal!.StartsWith(Https, System.StringComparison.Ordinal))
        {
            _context.Report(DiagnosticDescriptors.InvalidValue, node, "base_url", baseUrl.Text,
                "an https URL (https://api.example.com/v1), or a template that starts with a context key of shape https_origin");
            return;
        }
        CheckHostsCover(node, baseUrl, hosts, context, "base_url");
    }

    /// <summary>
    /// The host of <paramref name="url"/> (an https template) lies inside hosts (TM0022): as written
    /// when it is literal, for every value of a one_of key, for any label of a dns_label key.
    /// </summary>
    private void CheckHostsCover(YamlScalarNode node, Template url, EquatableArray<string> hosts, List<ContextKeySpec> context, string where)
    {
        const string Https = "https://";
        var parts = url.Parts;
        if (hosts.Count == 0 || parts.Count == 0 || parts[0].Literal is not { } start || !start.StartsWith(Https, System.StringComparison.Ordinal))
        {
            return;
        }
        // The authority: the text after https:// up to the first '/', '?' or '#', placeholders included.
        var probes = new List<string> { "" };
        var display = "";
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part.Literal is { } literal)
            {
                var text = i == 0 ? literal.Substring(Https.Length) : literal;
                var end = text.IndexOfAny(['/', '?', '#']);
                var inside = end < 0 ? text : text.Substring(0, end);
                probes = probes.Select(p => p + inside).ToList();
                display += inside;
                if (end >= 0)
                {
                    break;
                }
                continue;
            }
            var key = context.FirstOrDefault(k => k.Name == part.Placeholder!.ContextKey);
            var values = key?.Shape switch
            {
                ContextShapeKind.OneOf => key.ShapeValues.ToList(),
                ContextShapeKind.DnsLabel => [AnyLabel],
                // Undeclared or unshaped keys are TM0019/TM0020 already; other shapes do not belong in a host.
                _ => null,
            };
            if (values is null || probes.Count * values.Count > MaxHostProbes)
            {
                return;
            }
            probes = probes.SelectMany(p => values.Select(v => p + v)).ToList();
            display += "{{context." + part.Placeholder!.ContextKey + "}}";
        }
        foreach (var probe in probes)
        {
            // Drop a port; the host is compared in lower case, as declared.
            var colon = probe.LastIndexOf(':');
            var host = (colon >= 0 && probe.Substring(colon + 1).All(char.IsDigit) ? probe.Substring(0, colon) : probe).ToLowerInvariant();
            if (!Covers(hosts, host))
            {
                var shown = host.Replace(AnyLabel, "{any label}");
                _context.Report(DiagnosticDescriptors.InvalidHosts, node,
                    $"{where}'s host '{shown}' (from '{display}') is not among the hosts ({string.Join(", ", hosts)})",
                    host.Contains(AnyLabel) ? "a wildcard in hosts that covers every value of the key (\"*." + host.Substring(host.IndexOf(AnyLabel, System.StringComparison.Ordinal) + AnyLabel.Length).TrimStart('.') + "\")" : $"'{host}' (or a wildcard over it) in hosts");
                return;
            }
        }
    }
}
