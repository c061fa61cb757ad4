using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.OAuth;
using Truto.Mappings.Providers;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// The shipped <c>oauth2:</c> blocks, built from the generated adapters: which providers have one,
/// their real endpoints (stated by each provider's simulated authorization server, from the public
/// docs the YAML's comments name), that every URL is https on a host of the provider and the token
/// URL's host is among the declared hosts for every value of the keys it reads, that auth sends the
/// token the token client writes, and that the values the token answer sets are declared keys.
/// </summary>
public sealed class ProviderOAuthTests
{
    /// <summary>The documented facts of each OAuth provider: its simulated authorization server's dialect.</summary>
    private static IReadOnlyDictionary<string, OAuthDialect> Dialects => ProviderSandbox.OAuthDialects;

    public static TheoryData<string> OAuthProviders() => [.. Dialects.Keys.Order(StringComparer.Ordinal)];

    [Fact]
    public void Exactly_the_providers_with_a_simulated_authorization_server_have_an_oauth2_block()
    {
        var withBlock = GeneratedProviders.All.Where(a => a.Info.OAuth2 is not null).Select(a => a.Info.Name).Order(StringComparer.Ordinal);

        Assert.Equal(Dialects.Keys.Order(StringComparer.Ordinal), withBlock);
    }

    /// <summary>
    /// The facts the OAuth tables show are declared in every shipped block (where the app is
    /// registered, which scopes to choose on the app where the authorize URL takes none, what
    /// happens to refresh tokens) and agree with the provider's dialect: its
    /// rotation, whether it issues refresh tokens, its access token lifetime (to the second: the
    /// dialects answer <c>expires_in</c> 3599 where a provider documents an hour), and <c>never</c>
    /// only where the token answer has no <c>expires_in</c>.
    /// </summary>
    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void The_declared_registration_refresh_tokens_and_lifetime_are_the_dialects(string provider)
    {
        var oauth = Adapter(provider).Info.OAuth2!;
        var dialect = Dialects[provider];

        Assert.StartsWith("https://", oauth.AppRegistrationUrl, StringComparison.Ordinal);
        // Where the app chooses its scopes, the block says which to choose there.
        Assert.Equal(dialect.ScopesChosenOnTheApp, oauth.AppScopes.Count > 0);
        // "rotated" in the tables says each refresh answers a new one stored in place of the old, whether or not
        // the old one stops working (Entra ID keeps it valid; the rotation theories check that part).
        var expected = !dialect.IssuesRefreshTokens ? OAuthRefreshTokens.None : dialect.ReplacesRefreshTokens ? OAuthRefreshTokens.Rotated : OAuthRefreshTokens.Kept;
        Assert.Equal(expected, oauth.RefreshTokens);
        if (oauth.AccessTokenLifetime == Timeout.InfiniteTimeSpan)
        {
            Assert.DoesNotContain("expires_in", dialect.TokenAnswerMembers);
        }
        else if (oauth.AccessTokenLifetime is { } lifetime)
        {
            Assert.InRange((lifetime - dialect.AccessTokenLifetime).Duration(), TimeSpan.Zero, TimeSpan.FromSeconds(1));
        }
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void The_urls_are_the_providers_real_endpoints(string provider)
    {
        var adapter = Adapter(provider);
        var context = ConnectContext(adapter.Info);

        Assert.Equal(Dialects[provider].Endpoints.Authorize, adapter.BuildOAuthAuthorizeUrl(context));
        Assert.Equal(Dialects[provider].Endpoints.Token, adapter.BuildOAuthTokenUrl(context));
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void Every_url_for_every_allowed_value_is_https_on_the_providers_domain_and_the_token_host_is_declared(string provider)
    {
        var adapter = Adapter(provider);
        var contexts = EveryOneOfValue(adapter.Info).ToList();
        Assert.NotEmpty(contexts);

        foreach (var context in contexts)
        {
            foreach (var url in new[] { adapter.BuildOAuthAuthorizeUrl(context)!, adapter.BuildOAuthTokenUrl(context)! })
            {
                var uri = new Uri(url, UriKind.Absolute);
                Assert.Equal((Uri.UriSchemeHttps, "", ""), (uri.Scheme, uri.Query, uri.Fragment));
                Assert.True(uri.IsDefaultPort, url);
                Assert.Contains(Dialects[provider].Endpoints.Domains, d => uri.Host.EndsWith("." + d, StringComparison.Ordinal));
            }
            var tokenHost = new Uri(adapter.BuildOAuthTokenUrl(context)!).Host;
            Assert.True(Covers(adapter.Info.Hosts, tokenHost), $"{provider}: the token host {tokenHost} is not among {string.Join(", ", adapter.Info.Hosts)}");
        }
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void Auth_sends_the_access_token_the_token_client_writes(string provider)
    {
        var adapter = Adapter(provider);
        var request = new ProviderRequest();

        adapter.Authenticate(request, ConnectContext(adapter.Info, ("oauth", JsonSerializer.SerializeToElement(new { token = new { access_token = "tok-51" } }))));

        Assert.Contains(request.SecretHeaders, h => h.Key == "Authorization" && h.Value.EndsWith("tok-51", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void Token_keys_are_declared_the_refresh_token_secret_and_token_values_name_shaped_keys(string provider)
    {
        var info = Adapter(provider).Info;

        var refresh = Assert.Single(info.Context, k => k.Name == OAuthContextKeys.RefreshToken);
        Assert.Equal((true, false), (refresh.Secret, refresh.Required));
        var expiresAt = Assert.Single(info.Context, k => k.Name == OAuthContextKeys.ExpiresAt);
        Assert.Equal((false, false), (expiresAt.Secret, expiresAt.Required));
        Assert.All(info.OAuth2!.TokenValues, value =>
        {
            // The values the answer sets become the base URL (instance_url, api_domain): the runtime checks their shape before storing them.
            var key = Assert.Single(info.Context, k => k.Name == value.ContextKey);
            Assert.Equal(ContextShapeKind.HttpsOrigin, key.Shape?.Kind);
            var context = new AccountContext(JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                [value.ContextKey] = "https://set-by-the-answer.example",
                ["oauth"] = new { token = new { access_token = "tok-51" } },
            }));
            Assert.StartsWith("https://set-by-the-answer.example/", Adapter(provider).BuildBaseUrl(context), StringComparison.Ordinal);
        });
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void The_comments_above_each_oauth2_block_name_the_public_docs_its_facts_come_from(string provider)
    {
        var lines = File.ReadAllLines(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "mappings", "providers", provider + ".yaml"));
        var block = Array.FindIndex(lines, l => l.StartsWith("oauth2:", StringComparison.Ordinal));
        var comments = string.Join('\n', lines[..block].Reverse().TakeWhile(l => l.StartsWith('#')).Reverse());

        Assert.Contains("Sources", comments, StringComparison.Ordinal);
        // A page named by host and path (developers.hubspot.com/docs/…, zoho.com/accounts/…).
        Assert.Matches(@"[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/\S+", comments);
    }

    [Fact]
    public void The_provider_specific_facts_are_as_their_docs_say()
    {
        var salesforce = Adapter("salesforce").Info.OAuth2!;
        var zoho = Adapter("zoho").Info.OAuth2!;
        var sell = Adapter("zendesk_sell").Info.OAuth2!;

        Assert.Equal([new OAuthTokenValue("instance_url", "instance_url")], salesforce.TokenValues);
        Assert.Equal(["INVALID_SESSION_ID"], salesforce.ExpiredTokenCodes);
        Assert.Equal(["api", "refresh_token"], salesforce.Scopes);
        Assert.True(salesforce.Pkce);
        Assert.Equal([new OAuthTokenValue("api_domain", "api_domain")], zoho.TokenValues);
        Assert.Equal([new OAuthCallbackValue("accounts-server", "accounts_server")], zoho.CallbackValues);
        Assert.Equal(["INVALID_TOKEN"], zoho.ExpiredTokenCodes);
        Assert.Equal(",", zoho.ScopeSeparator);
        Assert.Equal([new("access_type", "offline"), new KeyValuePair<string, string>("prompt", "consent")], zoho.AuthorizeParameters);
        Assert.Equal(OAuthClientAuthentication.Basic, sell.ClientAuthentication);
        Assert.Equal(["UNAUTHENTICATED"], Adapter("monday").Info.OAuth2!.ExpiredTokenCodes);
        var pipedrive = Adapter("pipedrive").Info.OAuth2!;
        Assert.Equal(OAuthClientAuthentication.Basic, pipedrive.ClientAuthentication);
        Assert.All(GeneratedProviders.All.Select(a => a.Info.OAuth2).OfType<OAuth2Info>(), o => Assert.Equal(OAuthRequestEncoding.Form, o.RequestEncoding));
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void Scopes_are_declared_unless_the_provider_has_apps_choose_them_in_its_settings(string provider)
    {
        var scopes = Adapter(provider).Info.OAuth2!.Scopes;

        // An empty list sends no scope parameter: right only where the authorize URL takes none.
        Assert.Equal(Dialects[provider].ScopesChosenOnTheApp, scopes.Count == 0);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders))]
    public void Pkce_is_declared_exactly_where_the_provider_uses_it(string provider)
        => Assert.Equal(Dialects[provider].UsesPkce, Adapter(provider).Info.OAuth2!.Pkce);

    [Fact]
    public void Dynamics_365s_scope_names_the_accounts_environment_and_token_requests_send_it_too()
    {
        var adapter = Adapter("dynamics365");
        var oauth = adapter.Info.OAuth2!;

        var scope = adapter.BuildOAuthScope(new AccountContext(JsonSerializer.SerializeToElement(new { instance_url = "https://contoso.crm4.dynamics.com" })));

        Assert.Equal("https://contoso.crm4.dynamics.com/user_impersonation offline_access", scope);
        Assert.Equal(["{{context.instance_url}}/user_impersonation", "offline_access"], oauth.Scopes);
        Assert.Equal(["instance_url"], oauth.ScopeContextKeys);
        Assert.True(oauth.ScopeOnTokenRequests);
        var missing = Assert.Throws<MissingContextKeyException>(() => adapter.BuildOAuthScope(new AccountContext(JsonSerializer.SerializeToElement(new { }))));
        Assert.Equal("instance_url", missing.Key);
    }

    [Fact]
    public void Constant_scopes_are_joined_by_the_separator_and_sent_only_at_authorize()
    {
        var zoho = Adapter("zoho");

        Assert.Equal("ZohoCRM.modules.contacts.DELETE", zoho.BuildOAuthScope(new AccountContext(JsonSerializer.SerializeToElement(new { }))));
        Assert.Empty(zoho.Info.OAuth2!.ScopeContextKeys);
        Assert.All(GeneratedProviders.All.Select(a => a.Info.OAuth2).OfType<OAuth2Info>().Where(o => o.ScopeContextKeys.Count == 0), o => Assert.False(o.ScopeOnTokenRequests));
    }

    [Fact]
    public void Salesforce_sandboxes_use_the_test_login_server()
    {
        var adapter = Adapter("salesforce");

        var context = new AccountContext(JsonSerializer.SerializeToElement(new { login_server = "test" }));

        Assert.Equal("https://test.salesforce.com/services/oauth2/token", adapter.BuildOAuthTokenUrl(context));
    }

    [Fact]
    public void Zoho_refreshes_at_the_accounts_server_of_the_data_centre_Canada_included()
    {
        var adapter = Adapter("zoho");

        Assert.Equal("https://accounts.zoho.eu/oauth/v2/token", adapter.BuildOAuthTokenUrl(new AccountContext(JsonSerializer.SerializeToElement(new { accounts_server = "accounts.zoho.eu" }))));
        Assert.Equal("https://accounts.zohocloud.ca/oauth/v2/token", adapter.BuildOAuthTokenUrl(new AccountContext(JsonSerializer.SerializeToElement(new { accounts_server = "accounts.zohocloud.ca" }))));
    }

    [Fact]
    public void Pipedrive_oauth_accounts_use_a_bearer_token_and_the_api_domain_and_api_token_accounts_stay_as_they_were()
    {
        var adapter = Adapter("pipedrive");
        var oauth = new AccountContext(JsonSerializer.SerializeToElement(new { api_domain = "https://acme.pipedrive.com", oauth = new { token = new { access_token = "tok-51" } } }));
        var apiKey = new AccountContext(JsonSerializer.SerializeToElement(new { company_domain = "acme", api_key = "key-51" }));

        var oauthRequest = new ProviderRequest();
        adapter.Authenticate(oauthRequest, oauth);
        var apiKeyRequest = new ProviderRequest();
        adapter.Authenticate(apiKeyRequest, apiKey);

        Assert.Equal("https://acme.pipedrive.com/api", adapter.BuildBaseUrl(oauth));
        Assert.Equal([new("Authorization", "Bearer tok-51")], oauthRequest.SecretHeaders);
        Assert.Equal("https://acme.pipedrive.com/api", adapter.BuildBaseUrl(apiKey));
        Assert.Equal([new("x-api-token", "key-51")], apiKeyRequest.SecretHeaders);
        // Which keys an account needs depends on its kind: none is required of every account.
        Assert.All(adapter.Info.Context, k => Assert.False(k.Required, k.Name));
        Assert.Throws<MissingContextKeyException>(() => adapter.BuildBaseUrl(new AccountContext(JsonSerializer.SerializeToElement(new { api_key = "key-51" }))));
    }

    [Fact]
    public void Keap_oauth_accounts_send_a_bearer_token_and_api_key_accounts_the_X_Keap_API_Key_header_to_the_same_host()
    {
        var adapter = Adapter("keap");
        var oauth = new AccountContext(JsonSerializer.SerializeToElement(new { oauth = new { token = new { access_token = "tok-51" } } }));
        var apiKey = new AccountContext(JsonSerializer.SerializeToElement(new { api_key = "KeapAK-51" }));

        var oauthRequest = new ProviderRequest();
        adapter.Authenticate(oauthRequest, oauth);
        var apiKeyRequest = new ProviderRequest();
        adapter.Authenticate(apiKeyRequest, apiKey);

        Assert.Equal([new("Authorization", "Bearer tok-51")], oauthRequest.SecretHeaders);
        Assert.Equal([new("X-Keap-API-Key", "KeapAK-51")], apiKeyRequest.SecretHeaders);
        Assert.Equal(adapter.BuildBaseUrl(oauth), adapter.BuildBaseUrl(apiKey));
        Assert.Equal(["full"], adapter.Info.OAuth2!.Scopes);
        // Neither credential is required of every account: each kind holds its own.
        Assert.All(adapter.Info.Context, k => Assert.False(k.Required, k.Name));
        Assert.Throws<MissingContextKeyException>(() => adapter.Authenticate(new ProviderRequest(), new AccountContext(JsonSerializer.SerializeToElement(new { }))));
    }

    private static ProviderAdapter Adapter(string provider) => GeneratedProviders.All.Single(a => a.Info.Name == provider);

    /// <summary>A context with a value for every one_of key (the connect value, else its first), plus <paramref name="extra"/>.</summary>
    private static AccountContext ConnectContext(ProviderInfo info, params (string Name, JsonElement Value)[] extra)
    {
        var values = info.Context.Where(k => k.Shape?.Kind == ContextShapeKind.OneOf)
            .ToDictionary(k => k.Name, k => (object)(Dialects[info.Name].ConnectContext.FirstOrDefault(c => c.Key == k.Name).Value ?? k.Shape!.Values[0]), StringComparer.Ordinal);
        foreach (var (name, value) in extra)
        {
            values[name] = value;
        }
        return new AccountContext(JsonSerializer.SerializeToElement(values));
    }

    /// <summary>One context per allowed value of each one_of key (keys vary one at a time).</summary>
    private static IEnumerable<AccountContext> EveryOneOfValue(ProviderInfo info)
    {
        var keys = info.Context.Where(k => k.Shape?.Kind == ContextShapeKind.OneOf).ToList();
        if (keys.Count == 0)
        {
            yield return ConnectContext(info);
            yield break;
        }
        foreach (var key in keys)
        {
            foreach (var value in key.Shape!.Values)
            {
                yield return ConnectContext(info, (key.Name, JsonSerializer.SerializeToElement(value)));
            }
        }
    }

    private static bool Covers(IEnumerable<string> hosts, string host)
        => hosts.Any(h => h.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(h[1..], StringComparison.Ordinal) : host == h);
}
