extern alias runtime;

using System.Globalization;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using AccountContext = runtime::Truto.Mappings.Accounts.AccountContext;
using ProviderAdapter = runtime::Truto.Mappings.Adapters.ProviderAdapter;
using ProviderRequest = runtime::Truto.Mappings.Adapters.ProviderRequest;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// <c>auth:</c> as a list of alternatives chosen by which context key is present, each with an
/// optional base URL of its own (Pipedrive: OAuth or an API key): the compiled adapter picks the
/// first whose key the account holds, else the last; mistakes are TM0027 at line and column.
/// </summary>
public sealed class AuthAlternativeTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/either.yaml";

    private const string Provider = """
        name: either
        display_name: Either
        base_url: "https://{{context.company}}.example.com/api"
        hosts: ["*.example.com"]
        context:
          company: {label: Company, shape: dns_label}
          api_key: {label: API key, secret: true}
          api_domain: {label: API domain, shape: https_origin}
          oauth.token.access_token: {label: Access token, secret: true}
          user: {label: User}
        auth:
          - when: oauth.token.access_token
            type: bearer
            token: "{{context.oauth.token.access_token}}"
            base_url: "{{context.api_domain}}/api"
          - when: user
            type: basic
            username: "{{context.user}}"
            password: "{{context.api_key}}"
          - type: headers
            headers:
              x-api-key: "{{context.api_key}}"
        contacts:
          delete:
            method: DELETE
            path: /contacts/{{id}}

        """;

    [Fact]
    public void The_first_alternative_whose_key_is_present_authenticates_and_picks_the_base_url()
    {
        var adapter = Load(Provider);

        var oauth = Context("""{"oauth": {"token": {"access_token": "tok"}}, "api_domain": "https://eu.example.com", "user": "ann", "api_key": "k"}""");
        var basic = Context("""{"user": "ann", "api_key": "k", "company": "acme"}""");
        var headers = Context("""{"api_key": "k", "company": "acme"}""");

        Assert.Equal(("https://eu.example.com/api", "Authorization", "Bearer tok"), Use(adapter, oauth));
        Assert.Equal(("https://acme.example.com/api", "Authorization", "Basic " + Convert.ToBase64String("ann:k"u8.ToArray())), Use(adapter, basic));
        Assert.Equal(("https://acme.example.com/api", "x-api-key", "k"), Use(adapter, headers));
        // What auth and the base URLs read depends on the alternative: no key is required of every account.
        Assert.Empty(adapter.Info.ContextKeys);
        Assert.All(adapter.Info.Context, k => Assert.False(k.Required, k.Name));
    }

    [Fact]
    public void Keys_other_templates_read_stay_required()
    {
        var adapter = Load(Provider.Replace("    path: /contacts/{{id}}", "    path: /{{context.company}}/contacts/{{id}}", StringComparison.Ordinal));

        Assert.Equal(["company"], adapter.Info.ContextKeys);
        Assert.True(adapter.Info.Context.Single(k => k.Name == "company").Required);
    }

    [Fact]
    public void A_list_of_one_is_TM0027()
    {
        var text = Provider[..Provider.IndexOf("  - when: oauth", StringComparison.Ordinal)] + "  - type: bearer\n    token: \"{{context.api_key}}\"\ncontacts:\n  delete:\n    method: DELETE\n    path: /contacts/{{id}}\n";

        AssertAt(Single(text), "TM0027", (12, 3), "'auth' is not valid: a list of alternatives needs at least two; write auth as one mapping (type: bearer, …) otherwise");
    }

    [Fact]
    public void An_alternative_before_the_last_without_when_is_TM0027_at_it()
    {
        var text = Provider.Replace("  - when: user\n    type: basic", "  - type: basic", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0027", (16, 5), "'auth[1]' is not valid: every alternative but the last names the context key whose presence selects it (when: oauth.token.access_token)");
    }

    [Fact]
    public void When_on_the_default_is_TM0027()
    {
        var text = Provider.Replace("  - type: headers", "  - when: api_key\n    type: headers", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0027", (20, 11), "'auth[2].when' is not valid: the last alternative is the default, used when no other one's key is present; remove its when");
    }

    [Theory]
    [InlineData("  - when: usr", "'auth[1].when' is not valid: it names context key 'usr', which the context section does not declare (did you mean 'user'?); declare it, or name a declared key")]
    [InlineData("  - when: oauth.token.access_token", "'auth[1].when' is not valid: an earlier alternative is chosen by 'oauth.token.access_token' already, so this one could never be; name another key")]
    public void A_when_naming_an_undeclared_or_repeated_key_is_TM0027_at_it(string line, string message)
    {
        var text = Provider.Replace("  - when: user", line, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0027", (16, 11), message);
    }

    [Fact]
    public void An_alternative_base_url_is_checked_as_base_url_is()
    {
        var text = Provider.Replace("    base_url: \"{{context.api_domain}}/api\"", "    base_url: https://api.other.org/api", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0022", (15, 15),
            "auth[0].base_url's host 'api.other.org' (from 'api.other.org') is not among the hosts (*.example.com); expected 'api.other.org' (or a wildcard over it) in hosts");
    }

    [Fact]
    public void When_and_base_url_belong_to_alternatives_only()
    {
        var text = GeneratorHarness.MinimalProvider("either", "Either").Replace("  type: bearer", "  type: bearer\n  when: token", StringComparison.Ordinal);

        Assert.Equal("TM0002", Single(text).Id);
    }

    private static (string BaseUrl, string Header, string Value) Use(ProviderAdapter adapter, AccountContext context)
    {
        var request = new ProviderRequest();
        adapter.Authenticate(request, context);
        var header = Assert.Single(request.SecretHeaders);
        return (adapter.BuildBaseUrl(context), header.Key, header.Value);
    }

    private static AccountContext Context(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, (int Line, int Column) at, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, at, message);

    private static ProviderAdapter Load(string provider)
        => (ProviderAdapter)GeneratorHarness.CompileAdapter(ProviderPath, provider, "EitherAdapter");
}
