extern alias runtime;

using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using AccountContext = runtime::Truto.Mappings.Accounts.AccountContext;
using MissingContextKeyException = runtime::Truto.Mappings.Accounts.MissingContextKeyException;
using OAuthClientAuthentication = runtime::Truto.Mappings.OAuth.OAuthClientAuthentication;
using OAuthRequestEncoding = runtime::Truto.Mappings.OAuth.OAuthRequestEncoding;
using OAuthTokenValue = runtime::Truto.Mappings.OAuth.OAuthTokenValue;
using ProviderAdapter = runtime::Truto.Mappings.Adapters.ProviderAdapter;

namespace Truto.Mappings.Generator.Tests.Emission;

/// <summary>
/// The <c>oauth2:</c> block reaches the compiled adapter: <c>ProviderInfo.OAuth2</c> holds what the
/// YAML says (with its defaults), and <c>BuildOAuthAuthorizeUrl</c>/<c>BuildOAuthTokenUrl</c> build
/// the templates from an account context as base_url is built.
/// </summary>
public sealed class OAuthEmissionTests
{
    private const string Provider = """
        name: oauthy
        display_name: OAuthy
        base_url: "{{context.api_domain}}/v1"
        hosts: ["*.api.example.com", "*.accounts.example.com", accounts.example.com.au]
        context:
          api_domain: {label: API domain, shape: https_origin}
          data_center: {label: Data centre, shape: {one_of: [com, eu, com.au]}}
          oauth.token.access_token: {label: Access token, secret: true}
          oauth.token.refresh_token: {label: Refresh token, secret: true}
        auth:
          type: headers
          headers:
            Authorization: "Token {{context.oauth.token.access_token}}"
        errors:
          code: ["$.code", "$.data[0].code"]
        oauth2:
          authorize_url: https://accounts.example.com/oauth/v2/auth
          token_url: "https://{{context.data_center}}.accounts.example.com/oauth/v2/token"
          scopes: [contacts.ALL, "users.READ"]
          scope_separator: ","
          authorize_parameters:
            access_type: offline
            prompt: consent
          pkce: true
          client_authentication: basic
          request_encoding: json
          token_values:
            api_domain: api_domain
          expired_token_codes: [INVALID_TOKEN, INVALID_TOKEN, AUTHENTICATION_FAILURE]
        contacts:
          delete:
            method: DELETE
            path: /contacts/{{id}}

        """;

    [Fact]
    public void The_block_becomes_ProviderInfo_OAuth2()
    {
        var oauth = Load(Provider).Info.OAuth2!;

        Assert.Equal(["contacts.ALL", "users.READ"], oauth.Scopes);
        Assert.Equal(",", oauth.ScopeSeparator);
        Assert.Equal([new("access_type", "offline"), new KeyValuePair<string, string>("prompt", "consent")], oauth.AuthorizeParameters);
        Assert.True(oauth.Pkce);
        Assert.Equal(OAuthClientAuthentication.Basic, oauth.ClientAuthentication);
        Assert.Equal(OAuthRequestEncoding.Json, oauth.RequestEncoding);
        Assert.Equal([new OAuthTokenValue("api_domain", "api_domain")], oauth.TokenValues);
        // Repeated codes are emitted once.
        Assert.Equal(["INVALID_TOKEN", "AUTHENTICATION_FAILURE"], oauth.ExpiredTokenCodes);
    }

    [Fact]
    public void Unset_keys_take_their_defaults()
    {
        var minimal = string.Join('\n', Provider.Split('\n').Where(l => !l.StartsWith("  scope", StringComparison.Ordinal)
            && !l.StartsWith("  authorize_parameters", StringComparison.Ordinal) && !l.StartsWith("    ", StringComparison.Ordinal)
            && !l.StartsWith("  pkce", StringComparison.Ordinal) && !l.StartsWith("  client_", StringComparison.Ordinal)
            && !l.StartsWith("  request_", StringComparison.Ordinal) && !l.StartsWith("  token_values", StringComparison.Ordinal)
            && !l.StartsWith("  expired", StringComparison.Ordinal)))
            .Replace("auth:\n  type: headers\n  headers:", "auth:\n  type: bearer\n  token: \"{{context.oauth.token.access_token}}\"", StringComparison.Ordinal)
            .Replace("contacts:\n  delete:", "contacts:\n  delete:\n    method: DELETE\n    path: /contacts/{{id}}", StringComparison.Ordinal);

        var oauth = Load(minimal).Info.OAuth2!;

        Assert.Empty(oauth.Scopes);
        Assert.Equal(" ", oauth.ScopeSeparator);
        Assert.Empty(oauth.AuthorizeParameters);
        Assert.False(oauth.Pkce);
        Assert.Equal(OAuthClientAuthentication.Body, oauth.ClientAuthentication);
        Assert.Equal(OAuthRequestEncoding.Form, oauth.RequestEncoding);
        Assert.Empty(oauth.TokenValues);
        Assert.Empty(oauth.ExpiredTokenCodes);
    }

    [Fact]
    public void The_url_builders_fill_the_templates_from_the_context()
    {
        var adapter = Load(Provider);

        var context = Context("""{"data_center": "eu", "api_domain": "https://www.api.example.com"}""");
        Assert.Equal("https://accounts.example.com/oauth/v2/auth", adapter.BuildOAuthAuthorizeUrl(context));
        Assert.Equal("https://eu.accounts.example.com/oauth/v2/token", adapter.BuildOAuthTokenUrl(context));
        // A key the token URL needs and the account lacks is the caller's 400, as for base_url.
        Assert.Throws<MissingContextKeyException>(() => adapter.BuildOAuthTokenUrl(Context("{}")));
    }

    [Fact]
    public void A_provider_without_the_block_has_no_OAuth2_and_no_urls()
    {
        var adapter = Load(GeneratorHarness.MinimalProvider("oauthy", "OAuthy"));

        Assert.Null(adapter.Info.OAuth2);
        Assert.Null(adapter.BuildOAuthAuthorizeUrl(Context("{}")));
        Assert.Null(adapter.BuildOAuthTokenUrl(Context("{}")));
    }

    private static AccountContext Context(string json) => new(JsonDocument.Parse(json).RootElement.Clone());

    private static ProviderAdapter Load(string provider)
    {
        var file = new YamlFile(GeneratorHarness.Root + "providers/oauthy.yaml", provider);
        GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), file], GeneratorHarness.StrictParseOptions)
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var compilation, out var diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)));
        image.Position = 0;
        var assembly = new AssemblyLoadContext("oauthy", isCollectible: true).LoadFromStream(image);
        return (ProviderAdapter)assembly.GetType("Truto.Mappings.Providers.OauthyAdapter", throwOnError: true)!
            .GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }
}
