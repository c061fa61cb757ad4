using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The declarations a provider file makes about what it trusts — its context keys (TM0019-TM0021),
/// the hosts its calls may reach (TM0022) and the form of its ids (TM0023) — each mistake one
/// diagnostic at the line and column of the offending text, with a message that says what to write.
/// The files are the harness's minimal provider with one thing changed; its lines are:
/// <code>
///  3 base_url: https://api.example.com
///  4 hosts: [api.example.com]
///  5 context:
///  6   token: {label: Token, secret: true}
///  9   token: "{{context.token}}"
/// 10 contacts:
/// 13     path: /contacts/{{id}}
/// </code>
/// </summary>
public sealed class DeclarationDiagnosticTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/decl.yaml";
    private const string Declaration = "  token: {label: Token, secret: true}";
    private const string HowToDeclare = "; declare it under context: with a label (and secret: true for a credential)";

    private static readonly string Provider = GeneratorHarness.MinimalProvider("decl", "Decl");

    [Fact]
    public void A_misspelt_context_key_in_auth_is_TM0019_at_the_placeholder_with_the_declared_key_suggested()
    {
        var diagnostic = Single(Provider.Replace("token: \"{{context.token}}\"", "token: \"{{context.tokn}}\"", StringComparison.Ordinal));

        AssertAt(diagnostic, "TM0019", 9, 11, "auth.token reads context key 'tokn', which the context section does not declare (did you mean 'token'?)" + HowToDeclare);
    }

    [Fact]
    public void An_undeclared_context_key_in_a_path_is_TM0019_at_the_placeholder()
    {
        var diagnostic = Single(Provider.Replace("    path: /contacts/{{id}}", "    path: /tenants/{{context.tenant_id}}/contacts/{{id}}", StringComparison.Ordinal));

        AssertAt(diagnostic, "TM0019", 13, 20, "contacts.delete.path reads context key 'tenant_id', which the context section does not declare" + HowToDeclare);
    }

    [Fact]
    public void Templates_in_headers_queries_and_bodies_are_checked_too()
    {
        var text = Provider.Replace("    path: /contacts/{{id}}", """
                path: /contacts/{{id}}
                query: {workspace: "{{context.workspace}}"}
                headers: {X-Team: "{{context.team}}"}
                body: {owner: "{{context.owner}}"}
            """.TrimEnd(), StringComparison.Ordinal);

        var diagnostics = Run(text);

        Assert.All(diagnostics, d => Assert.Equal("TM0019", d.Id));
        Assert.Equal(["contacts.delete.query.workspace:workspace", "contacts.delete.headers.X-Team:team", "contacts.delete.body.owner:owner"], diagnostics.Select(Where));
    }

    [Fact]
    public void Without_a_context_section_every_key_read_is_undeclared()
    {
        var diagnostic = Single(Provider.Replace("context:\n" + Declaration + "\n", "", StringComparison.Ordinal));

        AssertAt(diagnostic, "TM0019", 7, 11, "auth.token reads context key 'token', which the context section does not declare" + HowToDeclare);
    }

    [Fact]
    public void A_key_that_forms_the_base_url_without_a_shape_is_TM0020_at_its_declaration()
    {
        var text = Provider
            .Replace("base_url: https://api.example.com", "base_url: \"https://{{context.tenant}}.example.com\"", StringComparison.Ordinal)
            .Replace("hosts: [api.example.com]", "hosts: [\"*.example.com\"]", StringComparison.Ordinal)
            .Replace(Declaration, Declaration + "\n  tenant: {label: Tenant}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0020", 7, 3,
            "Context key 'tenant' forms part of base_url but declares no shape; add shape: dns_label (one host label), shape: {one_of: [a, b]} (a listed value), shape: https_origin (https://host) or shape: path_segment (one path segment)");
    }

    [Theory]
    [InlineData("  token: {label: Token, type: strng}", "strng", "context.token.type", "type 'strng' is unknown (did you mean 'string'?); expected string (the default), number or boolean")]
    [InlineData("  token: {label: Token, type: number, shape: dns_label}", "dns_label", "context.token", "a shape applies to text only; remove shape, or make the type string")]
    [InlineData("  token: {secret: true}", "token", "context.token", "it has no label; add label: with the short name people see when they connect an account (label: API key)")]
    [InlineData("  token: {label: Token, shape: dns_lable}", "dns_lable", "context.token.shape", "shape 'dns_lable' is unknown (did you mean 'dns_label'?); expected dns_label, https_origin, path_segment or {one_of: [value, …]}")]
    [InlineData("  token: {label: Token, shape: {one_of: []}}", "[]", "context.token.shape", "one_of must list the allowed values, e.g. {one_of: [us, eu]}")]
    [InlineData("  token: {label: Token, shape: {one_of: [eu, us, eu]}}", "eu]", "context.token.shape", "one_of lists 'eu' twice; expected each value once")]
    [InlineData("  token: {label: Token, shape: {one_of: [\"x#\"]}}", "\"x#\"", "context.token.shape", "the one_of value 'x#' cannot stand in a URL as it is; expected letters, digits, '-', '.', '_' and '~' (and not '.' or '..')")]
    [InlineData("  token: {label: Token}\n  \"api key\": {label: API key}", "\"api key\"", "context.api key", "'api key' is not a key name; expected letters, digits, '_' and '-', with '.' between nested names (oauth.token.access_token)")]
    [InlineData("  token: {label: Token}\n  base_url: {label: Base URL}", "base_url", "context.base_url", "base_url is the override every account may set and operators configure; it is never declared, remove this entry")]
    [InlineData("  token: {label: Token}\n  token.value: {label: Token value}", "token.value", "context.token.value", "'token' would hold 'token.value', so both cannot be values; declare only the leaf keys")]
    public void A_malformed_context_entry_is_TM0021_at_what_is_wrong(string declaration, string at, string where, string reason)
    {
        var text = Provider.Replace(Declaration, declaration, StringComparison.Ordinal);

        var (line, column) = Position(text, at);
        AssertAt(Single(text), "TM0021", line, column, $"'{where}' is not a valid context declaration: {reason}");
    }

    [Fact]
    public void A_declared_key_no_template_reads_is_accepted()
    {
        Assert.Empty(Run(Provider.Replace(Declaration, Declaration + "\n  refresh_token: {label: Refresh token, secret: true, help: Kept with the account.}", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_file_without_hosts_is_TM0022_at_its_top_level()
    {
        AssertAt(Single(Provider.Replace("hosts: [api.example.com]\n", "", StringComparison.Ordinal)), "TM0022", 1, 1,
            "The file declares no hosts; expected hosts: the list of hosts calls may reach, e.g. hosts: [api.example.com] or hosts: [\"*.example.com\"]");
    }

    [Theory]
    [InlineData("hosts: [https://api.example.com]", "https://api.example.com", "'https://api.example.com' in hosts is not a host name")]
    [InlineData("hosts: [api.example.com:443]", "api.example.com:443", "'api.example.com:443' in hosts is not a host name")]
    [InlineData("hosts: [API.example.com]", "API.example.com", "'API.example.com' in hosts is not a host name")]
    [InlineData("hosts: [\"*.com\"]", "\"*.com\"", "'*.com' in hosts is not a host name")]
    [InlineData("hosts: [\"api.*.com\"]", "\"api.*.com\"", "'api.*.com' in hosts is not a host name")]
    [InlineData("hosts: [127.0.0.1]", "127.0.0.1", "'127.0.0.1' in hosts is not a host name")]
    public void A_hosts_entry_that_is_not_a_host_name_is_TM0022_at_the_entry(string hosts, string at, string problem)
    {
        var text = Provider.Replace("hosts: [api.example.com]", hosts, StringComparison.Ordinal);

        var (line, column) = Position(text, at);
        AssertAt(Single(text), "TM0022", line, column,
            problem + "; expected a lower-case host name without scheme, port or path (api.example.com), or '*.' and a domain of at least two labels (\"*.example.com\", its subdomains)");
    }

    [Theory]
    [InlineData("hosts: [api.example.com, api.example.com]", 4, 26, "'api.example.com' is listed twice in hosts; expected each host once")]
    [InlineData("hosts: []", 4, 8, "'hosts' is empty; expected at least one host name")]
    public void A_duplicate_or_an_empty_list_of_hosts_is_TM0022(string hosts, int line, int column, string message)
        => AssertAt(Single(Provider.Replace("hosts: [api.example.com]", hosts, StringComparison.Ordinal)), "TM0022", line, column, message);

    [Fact]
    public void A_literal_base_url_host_outside_the_hosts_is_TM0022_at_base_url()
    {
        AssertAt(Single(Provider.Replace("hosts: [api.example.com]", "hosts: [other.example.com, \"*.api.example.com\"]", StringComparison.Ordinal)), "TM0022", 3, 11,
            "base_url's host 'api.example.com' (from 'api.example.com') is not among the hosts (other.example.com, *.api.example.com); expected 'api.example.com' (or a wildcard over it) in hosts");
    }

    [Fact]
    public void A_dns_label_in_the_host_needs_a_wildcard_over_the_rest()
    {
        var text = Provider
            .Replace("base_url: https://api.example.com", "base_url: \"https://{{context.tenant}}.example.com/v1\"", StringComparison.Ordinal)
            .Replace(Declaration, Declaration + "\n  tenant: {label: Tenant, shape: dns_label}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0022", 3, 11,
            "base_url's host '{any label}.example.com' (from '{{context.tenant}}.example.com') is not among the hosts (api.example.com); expected a wildcard in hosts that covers every value of the key (\"*.example.com\")");
        Assert.Empty(Run(text.Replace("hosts: [api.example.com]", "hosts: [\"*.example.com\"]", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_one_of_value_in_the_host_must_lie_inside_the_hosts()
    {
        var text = Provider
            .Replace("base_url: https://api.example.com", "base_url: \"https://{{context.region}}.api.example.com:8443/v1\"", StringComparison.Ordinal)
            .Replace("hosts: [api.example.com]", "hosts: [eu.api.example.com]", StringComparison.Ordinal)
            .Replace(Declaration, Declaration + "\n  region: {label: Region, shape: {one_of: [eu, us]}}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0022", 3, 11,
            "base_url's host 'us.api.example.com' (from '{{context.region}}.api.example.com:8443') is not among the hosts (eu.api.example.com); expected 'us.api.example.com' (or a wildcard over it) in hosts");
        Assert.Empty(Run(text.Replace("hosts: [eu.api.example.com]", "hosts: [eu.api.example.com, us.api.example.com]", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_base_url_that_starts_with_an_https_origin_key_is_left_to_the_runtime()
    {
        var text = Provider
            .Replace("base_url: https://api.example.com", "base_url: \"{{context.instance_url}}/v1\"", StringComparison.Ordinal)
            .Replace(Declaration, Declaration + "\n  instance_url: {label: Instance URL, shape: https_origin}", StringComparison.Ordinal);

        Assert.Empty(Run(text));
    }

    [Fact]
    public void A_plain_http_base_url_is_TM0011()
    {
        AssertAt(Single(Provider.Replace("base_url: https://api.example.com", "base_url: http://api.example.com", StringComparison.Ordinal)), "TM0011", 3, 11,
            "'base_url' is 'http://api.example.com'; expected an https URL (https://api.example.com/v1), or a template that starts with a context key of shape https_origin");
    }

    [Theory]
    [InlineData("'[0-9'")]
    [InlineData("'a)|(b'")]
    [InlineData("'(?x)[0-9]+#'")]
    public void An_id_pattern_that_is_not_a_regular_expression_is_TM0023_at_the_pattern(string pattern)
    {
        var text = Provider.Replace("contacts:\n", "contacts:\n  id_pattern: " + pattern + "\n", StringComparison.Ordinal);

        var diagnostic = Single(text);

        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("TM0023", diagnostic.Id);
        Assert.Equal((11, 15), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith($"'contacts.id_pattern' is '{pattern.Trim('\'')}', which is not a valid .NET regular expression (", message, StringComparison.Ordinal);
        Assert.EndsWith("); expected a pattern every id must match whole, e.g. '[0-9]+'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_that_joins_its_ids_with_two_separators_is_TM0011_at_the_batch()
    {
        var text = Provider + """
              batch_delete:
                strategy: native
                max_ids: 10
                method: DELETE
                path: /contacts/{{ids | join(';')}}
                query: {ids: "{{ids | join(',')}}"}

            """;

        AssertAt(Single(text), "TM0011", 17, 5,
            "'contacts.batch_delete' is '{{ids | join(';')}} and {{ids | join(',')}}'; expected one non-empty separator for every join of the ids in a request (join(',')), so no id can be mistaken for two");
    }

    private static string Where(Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        var key = message.Split('\'')[1];
        return message.Split(' ')[0] + ":" + key;
    }

    private static (int Line, int Column) Position(string text, string at) => ProviderDiagnostics.Position(text, at, fromLine: 3);

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static ImmutableArray<Diagnostic> Run(string text) => ProviderDiagnostics.Run(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, int line, int column, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, (line, column), message);
}
