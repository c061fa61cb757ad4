using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The <c>oauth2:</c> block: each mistake one diagnostic at the line and column of the offending
/// text (TM0024 URLs, TM0025 token values, TM0026 the rest; TM0002/TM0003/TM0011/TM0019/TM0020/
/// TM0022 as elsewhere), with a message that says what to write. The files are <see cref="Provider"/>
/// with one thing changed.
/// </summary>
public sealed class OAuthDiagnosticTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/oauthy.yaml";

    private const string Provider = """
        name: oauthy
        display_name: OAuthy
        base_url: https://api.example.com
        hosts: [api.example.com, login.example.com]
        context:
          oauth.token.access_token: {label: Access token, secret: true}
          oauth.token.refresh_token: {label: Refresh token, secret: true}
          instance_url: {label: Instance URL, shape: https_origin}
          region: {label: Region, shape: {one_of: [eu, us]}}
        auth:
          type: bearer
          token: "{{context.oauth.token.access_token}}"
        errors:
          code: $.code
        oauth2:
          authorize_url: https://login.example.com/oauth/authorize
          token_url: https://login.example.com/oauth/token
          scopes: [contacts.read, contacts.delete]
        contacts:
          delete:
            method: DELETE
            path: /contacts/{{id}}

        """;

    private const string TokenUrl = "  token_url: https://login.example.com/oauth/token";

    [Fact]
    public void The_provider_of_these_tests_is_valid_and_so_is_every_key_set()
    {
        Assert.Empty(Run(Provider));
        Assert.Empty(Run(Provider.Replace(TokenUrl, TokenUrl + """

              scope_separator: ","
              authorize_parameters: {access_type: offline, prompt: consent}
              pkce: true
              client_authentication: basic
              request_encoding: json
              token_values: {instance_url: instance_url}
              expired_token_codes: [INVALID_TOKEN]
              scope_on_token_requests: true
              app_registration_url: https://developer.example.com/apps
              access_token_lifetime: 30m
              refresh_tokens: rotated
            """.TrimEnd(), StringComparison.Ordinal)));
        Assert.Empty(Run(Provider.Replace(TokenUrl, TokenUrl + "\n  access_token_lifetime: never\n  refresh_tokens: none", StringComparison.Ordinal)));
        Assert.Empty(Run(Provider.Replace("  scopes: [contacts.read, contacts.delete]", "  app_scopes: [contacts.read, contacts.delete]", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_scope_may_read_a_shaped_key_the_connect_link_carries()
        => Assert.Empty(Run(Provider.Replace("  scopes: [contacts.read, contacts.delete]", "  scopes: [\"{{context.instance_url}}/user_impersonation\", \"{{context.region}}.contacts\", offline_access]\n  scope_on_token_requests: true", StringComparison.Ordinal)));

    [Theory]
    [InlineData("\"{{context.instance_url}}/read\"", "\n  token_values: {instance_url: instance_url}", "the scope reads 'instance_url', which oauth2.token_values (instance_url, from the token answer) writes after the user consents, but the authorize URL needs the scope before; expected a key the connect link carries (context[instance_url]=…)")]
    [InlineData("\"{{context.region}}.read\"", "\n  callback_values: {location: region}", "the scope reads 'region', which oauth2.callback_values (location, from the redirect back) writes after the user consents, but the authorize URL needs the scope before; expected a key the connect link carries (context[region]=…)")]
    public void A_scope_reading_a_key_written_after_consent_is_TM0026_at_the_placeholder(string scope, string more, string reason)
    {
        var text = Provider.Replace("  scopes: [contacts.read, contacts.delete]", $"  scopes: [{scope}]{more}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, "{{context"), $"'oauth2.scopes' is not valid: {reason}");
    }

    [Fact]
    public void A_scope_reading_a_secret_key_is_TM0026_at_the_placeholder()
    {
        var text = Provider
            .Replace("  region: {label: Region, shape: {one_of: [eu, us]}}", "  region: {label: Region, secret: true, shape: {one_of: [eu, us]}}", StringComparison.Ordinal)
            .Replace("  scopes: [contacts.read, contacts.delete]", "  scopes: [\"{{context.region}}.read\"]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, "{{context"),
            "'oauth2.scopes' is not valid: the scope reads 'region', which is secret, and the scope travels in the authorize URL the browser and the provider see; expected a key that is not secret");
    }

    [Fact]
    public void A_scope_reading_a_key_without_a_shape_is_TM0020_at_the_declaration()
    {
        var text = Provider
            .Replace("  region: {label: Region, shape: {one_of: [eu, us]}}", "  region: {label: Region}", StringComparison.Ordinal)
            .Replace("  scopes: [contacts.read, contacts.delete]", "  scopes: [\"{{context.region}}.read\"]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0020", (9, 3),
            "Context key 'region' forms part of oauth2.scopes but declares no shape; add shape: dns_label (one host label), shape: {one_of: [a, b]} (a listed value), shape: https_origin (https://host) or shape: path_segment (one path segment)");
    }

    [Fact]
    public void A_scope_reading_an_undeclared_key_is_TM0019_at_the_placeholder()
    {
        var text = Provider.Replace("  scopes: [contacts.read, contacts.delete]", "  scopes: [\"{{context.instance_uri}}/read\"]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0019", Position(text, "{{context"),
            "oauth2.scopes reads context key 'instance_uri', which the context section does not declare (did you mean 'instance_url'?); declare it under context: with a label (and secret: true for a credential)");
    }

    [Fact]
    public void An_unknown_key_is_TM0002_with_a_suggestion()
    {
        var text = Provider.Replace("  scopes:", "  scope: [x]\n  scopes:", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0002", Position(text, "scope: [x]"),
            "Unknown key 'scope' in oauth2 (did you mean 'scopes'?); expected one of: authorize_url, token_url, scopes, scope_separator, authorize_parameters, pkce, client_authentication, request_encoding, token_values, callback_values, expired_token_codes, scope_on_token_requests, app_registration_url, app_scopes, access_token_lifetime, refresh_tokens");
    }

    [Theory]
    [InlineData("token_url")]
    [InlineData("authorize_url")]
    public void A_missing_url_is_TM0003_at_the_block(string key)
    {
        var text = string.Join('\n', Provider.Split('\n').Where(l => !l.StartsWith("  " + key + ":", StringComparison.Ordinal)));

        AssertAt(Single(text), "TM0003", (16, 3), $"Missing required key '{key}' in oauth2");
    }

    [Theory]
    [InlineData("client_authentication: header", "header", "'oauth2.client_authentication' is 'header'; expected one of: body, basic")]
    [InlineData("request_encoding: jsn", "jsn", "'oauth2.request_encoding' is 'jsn'; expected one of: form, json (did you mean 'json'?)")]
    [InlineData("refresh_tokens: rotating", "rotating", "'oauth2.refresh_tokens' is 'rotating'; expected one of: kept, rotated, none")]
    public void A_bad_enum_value_is_TM0011(string line, string at, string message)
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  " + line, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0011", Position(text, at), message);
    }

    [Fact]
    public void Pkce_must_be_true_or_false()
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  pkce: yes", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0008", Position(text, "yes"), "'oauth2.pkce' must be true or false, but found 'yes'");
    }

    [Theory]
    [InlineData("http://login.example.com/oauth/token", "expected an https URL (https://login.example.com/oauth/token), or a template that starts with a context key of shape https_origin")]
    [InlineData("\"{{context.region}}/oauth/token\"", "expected an https URL (https://login.example.com/oauth/token), or a template that starts with a context key of shape https_origin")]
    [InlineData("https://login.example.com/oauth/token?grant_type=x", "expected a URL without query or fragment; the flow adds its own parameters, and extra ones go under oauth2.authorize_parameters")]
    public void A_token_url_that_is_not_plain_https_is_TM0024_at_the_url(string url, string reason)
    {
        var text = Provider.Replace(TokenUrl, "  token_url: " + url, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0024", (17, 14), $"'oauth2.token_url' is '{url.Trim('"')}': {reason}");
    }

    [Theory]
    [InlineData("http://developer.example.com/apps")]
    [InlineData("developer.example.com/apps")]
    [InlineData("\"https://{{context.instance_url}}/apps\"")]
    public void An_app_registration_url_that_is_not_a_constant_https_url_is_TM0024_at_the_url(string url)
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  app_registration_url: " + url, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0024", Position(text, url),
            $"'oauth2.app_registration_url' is '{url.Trim('"')}': expected a constant https URL of the page where the OAuth app is registered (https://developer.example.com/apps)");
    }

    [Theory]
    [InlineData("1 hour")]
    [InlineData("0m")]
    [InlineData("90")]
    [InlineData("2w")]
    public void An_access_token_lifetime_that_is_no_duration_is_TM0026_at_the_value(string lifetime)
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  access_token_lifetime: " + lifetime, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, lifetime),
            $"'oauth2.access_token_lifetime' is not valid: '{lifetime}' is not a lifetime; expected a whole number and a unit, s, m, h or d (30m, 1h, 7d), or never");
    }

    [Fact]
    public void An_authorize_url_is_checked_the_same_way()
    {
        var text = Provider.Replace("https://login.example.com/oauth/authorize", "http://login.example.com/oauth/authorize", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0024", (16, 18),
            "'oauth2.authorize_url' is 'http://login.example.com/oauth/authorize': expected an https URL (https://login.example.com/oauth/token), or a template that starts with a context key of shape https_origin");
    }

    [Fact]
    public void A_url_may_start_with_an_https_origin_key()
        => Assert.Empty(Run(Provider.Replace(TokenUrl, "  token_url: \"{{context.instance_url}}/services/oauth2/token\"", StringComparison.Ordinal)));

    [Fact]
    public void A_url_reading_an_undeclared_key_is_TM0019_at_the_placeholder()
    {
        var text = Provider.Replace(TokenUrl, "  token_url: \"https://login.example.{{context.regoin}}/oauth/token\"", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0019", (17, 37),
            "oauth2.token_url reads context key 'regoin', which the context section does not declare (did you mean 'region'?); declare it under context: with a label (and secret: true for a credential)");
    }

    [Fact]
    public void A_key_that_forms_an_oauth_url_needs_a_shape_TM0020()
    {
        var text = Provider
            .Replace("  region: {label: Region, shape: {one_of: [eu, us]}}", "  region: {label: Region}", StringComparison.Ordinal)
            .Replace(TokenUrl, "  token_url: \"https://{{context.region}}.login.example.com/oauth/token\"", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0020", (9, 3),
            "Context key 'region' forms part of oauth2.token_url but declares no shape; add shape: dns_label (one host label), shape: {one_of: [a, b]} (a listed value), shape: https_origin (https://host) or shape: path_segment (one path segment)");
    }

    [Fact]
    public void The_token_url_host_must_be_among_the_hosts_TM0022_for_each_one_of_value()
    {
        var text = Provider
            .Replace("hosts: [api.example.com, login.example.com]", "hosts: [api.example.com, eu.login.example.com]", StringComparison.Ordinal)
            .Replace(TokenUrl, "  token_url: \"https://{{context.region}}.login.example.com/oauth/token\"", StringComparison.Ordinal)
            .Replace("https://login.example.com/oauth/authorize", "https://auth.example.org/authorize", StringComparison.Ordinal);

        // The authorize URL is a browser redirect, not a call the server makes: hosts do not limit it.
        AssertAt(Single(text), "TM0022", (17, 14),
            "oauth2.token_url's host 'us.login.example.com' (from '{{context.region}}.login.example.com') is not among the hosts (api.example.com, eu.login.example.com); expected 'us.login.example.com' (or a wildcard over it) in hosts");
    }

    [Fact]
    public void Keys_only_the_oauth_urls_read_stay_optional_for_calls()
    {
        var info = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(ProviderPath,
            Provider.Replace(TokenUrl, "  token_url: \"https://{{context.region}}.login.example.com/oauth/token\"", StringComparison.Ordinal)
                .Replace("hosts: [api.example.com, login.example.com]", "hosts: [api.example.com, login.example.com, \"*.login.example.com\"]", StringComparison.Ordinal))]);

        Assert.Empty(info.Diagnostics);
        var source = info.Results[0].GeneratedSources.Single(s => s.HintName == "Oauthy.Contacts.g.cs").SourceText.ToString();
        Assert.Contains("new(\"region\", ContextValueType.Text, Secret: false, Label: \"Region\", Help: null, Required: false,", source, StringComparison.Ordinal);
        Assert.Contains("new string[] { \"oauth.token.access_token\" },", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Callback_values_and_the_documented_facts_are_emitted_into_the_OAuth2Info()
    {
        var info = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(ProviderPath,
            Provider.Replace(TokenUrl, TokenUrl + """

              callback_values: {accounts-server: instance_url}
              app_registration_url: https://developer.example.com/apps
              access_token_lifetime: 2h
              refresh_tokens: rotated
            """.TrimEnd(), StringComparison.Ordinal))]);

        Assert.Empty(info.Diagnostics);
        var source = info.Results[0].GeneratedSources.Single(s => s.HintName == "Oauthy.Contacts.g.cs").SourceText.ToString();
        Assert.Contains("CallbackValues = new OAuthCallbackValue[] { new(\"accounts-server\", \"instance_url\") },", source, StringComparison.Ordinal);
        Assert.Contains("AppRegistrationUrl = \"https://developer.example.com/apps\",", source, StringComparison.Ordinal);
        Assert.Contains("AccessTokenLifetime = TimeSpan.FromSeconds(7200),", source, StringComparison.Ordinal);
        Assert.Contains("RefreshTokens = OAuthRefreshTokens.Rotated,", source, StringComparison.Ordinal);
    }

    [Fact]
    public void App_scopes_beside_scopes_are_TM0026_at_the_list()
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  app_scopes: [contacts.write]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, "[contacts.write]"),
            "'oauth2.app_scopes' is not valid: the authorize URL asks for oauth2.scopes, which the app must grant; app_scopes is for providers whose apps choose their scopes (no oauth2.scopes)");
    }

    [Fact]
    public void An_app_scope_listed_twice_is_TM0026_at_the_second()
    {
        var text = Provider.Replace("  scopes: [contacts.read, contacts.delete]", "  app_scopes: [contacts.read, contacts.read]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, "contacts.read]"),
            "'oauth2.app_scopes' is not valid: the scope 'contacts.read' is empty, has white space or is listed twice; expected each scope once, one per list item");
    }

    [Fact]
    public void App_scopes_are_emitted_into_the_OAuth2Info()
    {
        var info = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(ProviderPath,
            Provider.Replace("  scopes: [contacts.read, contacts.delete]", "  app_scopes: [contacts.read, contacts.delete]", StringComparison.Ordinal))]);

        Assert.Empty(info.Diagnostics);
        var source = info.Results[0].GeneratedSources.Single(s => s.HintName == "Oauthy.Contacts.g.cs").SourceText.ToString();
        Assert.Contains("AppScopes = new string[] { \"contacts.read\", \"contacts.delete\" },", source, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lifetime_of_never_is_emitted_as_an_infinite_time_span()
    {
        var info = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(ProviderPath,
            Provider.Replace(TokenUrl, TokenUrl + "\n  access_token_lifetime: never", StringComparison.Ordinal))]);

        Assert.Empty(info.Diagnostics);
        var source = info.Results[0].GeneratedSources.Single(s => s.HintName == "Oauthy.Contacts.g.cs").SourceText.ToString();
        Assert.Contains("AccessTokenLifetime = Timeout.InfiniteTimeSpan,", source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token_values: {instance_url: instance_uri}", "instance_uri", "'oauth2.token_values.instance_url' is not valid: it writes context key 'instance_uri', which the context section does not declare (did you mean 'instance_url'?); declare it under context: with a label (and its shape when a URL reads it)")]
    [InlineData("token_values: {refresh_token: oauth.token.refresh_token}", "oauth.token.refresh_token}", "'oauth2.token_values.refresh_token' is not valid: 'oauth.token.refresh_token' is written by the token client itself (oauth.token.access_token, oauth.token.refresh_token, oauth.token.expires_at, oauth.token.token_type, oauth.token.scope); expected a provider-specific key (instance_url)")]
    [InlineData("token_values: {instance_url: instance_url, api_domain: instance_url}", "instance_url}", "'oauth2.token_values.api_domain' is not valid: 'instance_url' is written by 'instance_url' already; expected each context key once")]
    [InlineData("token_values: {\"data.url\": instance_url}", "\"data.url\"", "'oauth2.token_values.data.url' is not valid: 'data.url' is not a member name of the token answer; expected letters, digits, '_' and '-' (instance_url)")]
    [InlineData("callback_values: {code: instance_url}", "code: instance_url", "'oauth2.callback_values.code' is not valid: the connect flow reads 'code' itself (code, state, error, error_description, error_uri); expected a provider-specific parameter (accounts-server)")]
    [InlineData("callback_values: {\"accounts server\": instance_url}", "\"accounts server\"", "'oauth2.callback_values.accounts server' is not valid: 'accounts server' is not a query parameter name; expected letters, digits, '_', '.' and '-' (accounts-server)")]
    [InlineData("callback_values: {accounts-server: accounts_server}", "accounts_server}", "'oauth2.callback_values.accounts-server' is not valid: it writes context key 'accounts_server', which the context section does not declare; declare it under context: with a label (and its shape when a URL reads it)")]
    [InlineData("callback_values: {accounts-server: oauth.token.scope}", "oauth.token.scope}", "'oauth2.callback_values.accounts-server' is not valid: 'oauth.token.scope' is written by the token client itself (oauth.token.access_token, oauth.token.refresh_token, oauth.token.expires_at, oauth.token.token_type, oauth.token.scope); expected a provider-specific key (accounts_server)")]
    public void A_bad_token_value_is_TM0025_at_what_is_wrong(string line, string at, string message)
    {
        var text = Provider.Replace(TokenUrl, TokenUrl + "\n  " + line, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0025", Position(text, at), message);
    }

    [Theory]
    [InlineData("scopes: [contacts.read, contacts.read]", "contacts.read]", "oauth2.scopes", "'contacts.read' is listed twice; expected each scope once")]
    [InlineData("scopes: [\"contacts.read contacts.delete\"]", "\"contacts.read", "oauth2.scopes", "the scope 'contacts.read contacts.delete' is empty, has white space or holds the separator ' '; expected one scope per list item")]
    [InlineData("scope_separator: \"\"", "\"\"", "oauth2.scope_separator", "it is empty; expected the text that joins the scopes, quoted (' ', ',' or '+')")]
    [InlineData("authorize_parameters: {redirect_uri: https://evil.example}", "redirect_uri", "oauth2.authorize_parameters.redirect_uri", "the connect flow sets 'redirect_uri' itself (response_type, client_id, client_secret, redirect_uri, scope, state, code_challenge, code_challenge_method); remove it (scopes go under oauth2.scopes)")]
    [InlineData("authorize_parameters: {prompt: \"{{context.region}}\"}", "\"{{context", "oauth2.authorize_parameters.prompt", "authorize parameters are constants; expected text without {{…}} (offline, consent)")]
    public void A_bad_scope_separator_or_parameter_is_TM0026(string line, string at, string where, string reason)
    {
        var text = Provider
            .Replace("  scopes: [contacts.read, contacts.delete]\n", "", StringComparison.Ordinal)
            .Replace(TokenUrl, TokenUrl + "\n  " + line, StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, at), $"'{where}' is not valid: {reason}");
    }

    [Fact]
    public void Expired_token_codes_need_errors_code_TM0026()
    {
        var text = Provider
            .Replace("errors:\n  code: $.code\n", "", StringComparison.Ordinal)
            .Replace(TokenUrl, TokenUrl + "\n  expired_token_codes: [INVALID_TOKEN]", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", Position(text, "[INVALID_TOKEN]"),
            "'oauth2.expired_token_codes' is not valid: the codes are read with errors.code, which this file does not declare; add errors.code: the path to the provider's error code ($.code)");
    }

    [Fact]
    public void Auth_must_send_the_access_token_the_token_client_writes_TM0026_at_the_block()
    {
        var text = Provider
            .Replace("  oauth.token.access_token: {label: Access token, secret: true}", "  api_key: {label: API key, secret: true}", StringComparison.Ordinal)
            .Replace("{{context.oauth.token.access_token}}", "{{context.api_key}}", StringComparison.Ordinal);

        AssertAt(Single(text), "TM0026", (15, 1),
            "'oauth2' is not valid: auth does not read {{context.oauth.token.access_token}}, where the token client writes the access token; send it from there (token: \"{{context.oauth.token.access_token}}\")");
    }

    [Theory]
    [InlineData("  oauth.token.refresh_token: {label: Refresh token, secret: true}\n")]
    [InlineData("  oauth.token.refresh_token: {label: Refresh token}\n")]
    public void The_refresh_token_must_be_declared_secret_TM0026_at_the_block(string declaration)
    {
        var text = Provider.Replace("  oauth.token.refresh_token: {label: Refresh token, secret: true}\n",
            declaration.Contains("secret", StringComparison.Ordinal) ? "" : declaration, StringComparison.Ordinal);

        var line = declaration.Contains("secret", StringComparison.Ordinal) ? 14 : 15;
        AssertAt(Single(text), "TM0026", (line, 1),
            "'oauth2' is not valid: 'oauth.token.refresh_token' is not declared with secret: true, so account reads would show it; declare it under context: (oauth.token.refresh_token: {label: Refresh token, secret: true})");
    }

    private static (int Line, int Column) Position(string text, string at) => ProviderDiagnostics.Position(text, at, fromLine: 13);

    private static Diagnostic Single(string text) => ProviderDiagnostics.Single(ProviderPath, text);

    private static ImmutableArray<Diagnostic> Run(string text) => ProviderDiagnostics.Run(ProviderPath, text);

    private static void AssertAt(Diagnostic diagnostic, string id, (int Line, int Column) at, string message)
        => ProviderDiagnostics.AssertAt(diagnostic, ProviderPath, id, at, message);
}
