using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// The connect flow over real HTTP: HubSpot's OAuth flow against the sandbox's authorization server
/// (authorize page, Allow or Deny, token endpoint) and Copper's API-key form, with the state, link
/// and redirect rules that keep it safe.
/// </summary>
public sealed class ConnectFlowTests : IAsyncLifetime
{
    private const string RedirectUri = ConnectFlowFixture.RedirectUri;
    private ConnectFlowFixture _flow = null!;

    [Fact]
    public async Task Allow_exchanges_the_code_creates_the_account_and_redirects_with_its_id()
    {
        var authorize = await StartHubSpotAsync();
        var query = Query(authorize);
        Assert.StartsWith(_flow.Sandbox.RootUrl + "oauth/hubspot/authorize?", authorize.ToString(), StringComparison.Ordinal);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("sandbox-client-id", query["client_id"]);
        Assert.Equal(new Uri(_flow.Server.Url, "/connect/callback").ToString(), query["redirect_uri"]);
        Assert.Equal("crm.objects.contacts.write", query["scope"]);
        Assert.True(query["state"].ToString().Length >= 43);

        var page = await _flow.Browser.GetStringAsync(authorize);
        Assert.Contains("id=\"allow\"", page, StringComparison.Ordinal);
        var callback = await DecideAsync(authorize, "allow");
        var done = await FollowAsync(callback);

        Assert.StartsWith(RedirectUri + "?integrated_account_id=", done.ToString(), StringComparison.Ordinal);
        var id = Query(done)["integrated_account_id"].ToString();
        var account = (await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        Assert.Equal("hubspot", (string?)account["integration"]);
        Assert.Equal("acme", (string?)account["tenant_id"]);
        Assert.Equal(1, _flow.HubSpotOAuth.TokenRequests);
    }

    [Fact]
    public async Task Deny_redirects_with_access_denied_and_creates_no_account()
    {
        var callback = await DecideAsync(await StartHubSpotAsync(), "deny");

        var done = await FollowAsync(callback);

        Assert.Equal("access_denied", Query(done)["error"]);
        Assert.StartsWith(RedirectUri + "?", done.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, _flow.HubSpotOAuth.TokenRequests);
        Assert.Empty((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
    }

    [Fact]
    public async Task A_replayed_state_ends_on_an_error_page()
    {
        var callback = await DecideAsync(await StartHubSpotAsync(), "allow");
        await FollowAsync(callback);

        using var replay = await _flow.Browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Null(replay.Headers.Location);
        Assert.Contains("Unknown or used state", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _flow.HubSpotOAuth.TokenRequests);
    }

    [Fact]
    public async Task An_expired_state_ends_on_an_error_page_without_exchanging_the_code()
    {
        var callback = await DecideAsync(await StartHubSpotAsync(), "allow");
        _flow.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using var late = await _flow.Browser.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
        Assert.Contains("This connect attempt has expired", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, _flow.HubSpotOAuth.TokenRequests);
    }

    [Theory]
    [InlineData("https://evil.example/connected")]
    [InlineData("https://app.example.com/connected/../evil")]
    [InlineData("https://app.example.com/connected?next=https://evil.example")]
    public async Task A_redirect_uri_not_listed_exactly_is_refused_before_anything_else(string foreign)
    {
        // No token at all: the redirect URI is checked first, and no redirect follows.
        using var answer = await _flow.Browser.GetAsync($"/connect/hubspot?tenant_id=acme&redirect_uri={Uri.EscapeDataString(foreign)}");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
        Assert.Contains("Redirect URI not allowed", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connect_link_for_a_foreign_redirect_uri_is_not_made()
    {
        using var answer = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration = "copper", tenant_id = "acme", redirect_uri = "https://evil.example/" });

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("redirect_uri", (string?)(await answer.Content.ReadFromJsonAsync<JsonObject>())!["details"]!["failures"]![0]!["field"]);
    }

    [Fact]
    public async Task Without_a_link_or_a_token_the_flow_does_not_start()
    {
        using var answer = await _flow.Browser.GetAsync($"/connect/hubspot?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}");

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Null(answer.Headers.Location);
    }

    [Fact]
    public async Task The_api_key_form_from_a_connect_link_creates_the_account()
    {
        var form = await _flow.Browser.GetStringAsync(await LinkAsync("copper"));
        Assert.Contains("<input type=\"password\" id=\"context-api_key\" name=\"context[api_key]\"", form, StringComparison.Ordinal);
        Assert.Contains("Settings → Integrations → API Keys in Copper.", form, StringComparison.Ordinal);
        Assert.Contains("<label for=\"context-user_email\">User email", form, StringComparison.Ordinal);

        using var posted = await PostFormAsync(form, ("context[api_key]", "copper-key"), ("context[user_email]", "owner@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var id = Query(posted.Headers.Location!)["integrated_account_id"].ToString();
        var account = (await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        Assert.Equal("copper", (string?)account["integration"]);
        Assert.Equal("acme", (string?)account["tenant_id"]);
        Assert.Equal("owner@example.com", (string?)account["context"]!["user_email"]);
    }

    [Fact]
    public async Task The_api_key_form_asks_only_for_keys_not_given_as_context_query_values()
    {
        using var started = await _flow.Api.GetAsync($"/connect/copper?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}&context%5Buser_email%5D=owner%40example.com");
        var form = await started.Content.ReadAsStringAsync();
        Assert.Contains("name=\"context[api_key]\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"context[user_email]\"", form, StringComparison.Ordinal);

        using var posted = await PostFormAsync(form, ("context[api_key]", "copper-key"));

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var id = Query(posted.Headers.Location!)["integrated_account_id"].ToString();
        Assert.Equal("owner@example.com", (string?)(await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!["context"]!["user_email"]);
    }

    [Fact]
    public async Task A_refused_value_is_shown_next_to_its_field_and_the_form_works_again()
    {
        var form = await _flow.Browser.GetStringAsync(await LinkAsync("copper"));

        using var refused = await PostFormAsync(form, ("context[api_key]", "key\u0001with-control"), ("context[user_email]", "owner@example.com"));
        var again = await refused.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("id=\"context-api_key-error\"", again, StringComparison.Ordinal);
        Assert.Contains("value=\"owner@example.com\"", again, StringComparison.Ordinal);
        Assert.DoesNotContain("with-control", again, StringComparison.Ordinal);
        using var fixedUp = await PostFormAsync(again, ("context[api_key]", "copper-key"), ("context[user_email]", "owner@example.com"));
        Assert.Equal(HttpStatusCode.Redirect, fixedUp.StatusCode);
    }

    [Fact]
    public async Task A_form_posted_twice_is_refused_the_second_time()
    {
        var form = await _flow.Browser.GetStringAsync(await LinkAsync("copper"));
        using var first = await PostFormAsync(form, ("context[api_key]", "copper-key"), ("context[user_email]", "owner@example.com"));

        using var second = await PostFormAsync(form, ("context[api_key]", "copper-key"), ("context[user_email]", "owner@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Single((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
    }

    [Fact]
    public async Task An_expired_connect_link_is_refused()
    {
        var link = await LinkAsync("copper");
        _flow.Clock.Advance(TimeSpan.FromMinutes(31));

        using var answer = await _flow.Browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("This connect link has expired", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_connect_link_is_refused()
    {
        var link = (await LinkAsync("copper")).ToString();

        using var answer = await _flow.Browser.GetAsync(link[..^4] + (link.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Fact]
    public async Task A_connect_link_starts_the_oauth_flow_for_its_tenant()
    {
        using var answer = await _flow.Browser.GetAsync(await LinkAsync("hubspot"));

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var done = await FollowAsync(await DecideAsync(answer.Headers.Location!, "allow"));
        var id = Query(done)["integrated_account_id"].ToString();
        Assert.Equal("acme", (string?)(await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!["tenant_id"]);
    }

    [Fact]
    public async Task An_undeclared_connect_context_key_is_refused()
    {
        using var answer = await _flow.Api.GetAsync($"/connect/copper?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}&context%5Bnot_declared%5D=x");

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("not_declared", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_key_form_never_takes_a_base_url_so_only_an_accounts_write_token_can_set_one()
    {
        // The form is posted by whoever holds the link, without a token; base_url is never a declared key.
        var form = await _flow.Browser.GetStringAsync(await LinkAsync("copper"));

        using var refused = await PostFormAsync(form,
            ("context[api_key]", "copper-key"), ("context[user_email]", "owner@example.com"), ("context[base_url]", "http://169.254.169.254/latest"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        var error = page[page.IndexOf("id=\"form-error\">", StringComparison.Ordinal)..];
        Assert.Contains("base_url", error[..error.IndexOf("</p>", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Contains("is not a context key", error, StringComparison.Ordinal);
        Assert.DoesNotContain((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray(), a => (string?)a!["integration"] == "copper");
    }

    [Fact]
    public async Task A_code_the_token_endpoint_refuses_redirects_with_token_exchange_failed_and_creates_no_account()
    {
        var callback = await DecideAsync(await StartHubSpotAsync(), "allow");
        var parameters = Query(callback).ToDictionary(p => p.Key, p => (string?)p.Value.ToString(), StringComparer.Ordinal);
        parameters["code"] = "a-code-hubspot-never-issued";

        var done = await FollowAsync(new Uri(QueryHelpers.AddQueryString(callback.GetLeftPart(UriPartial.Path), parameters)));

        Assert.StartsWith(RedirectUri + "?", done.ToString(), StringComparison.Ordinal);
        Assert.Equal("token_exchange_failed", Query(done)["error"]);
        Assert.Contains("refused the OAuth grant", Query(done)["error_description"].ToString(), StringComparison.Ordinal);
        Assert.Equal(1, _flow.HubSpotOAuth.TokenRequests);
        Assert.Empty((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
    }

    [Fact]
    public async Task The_callback_given_to_the_provider_and_the_link_are_under_Server_PublicUrl()
    {
        await using var server = await Infrastructure.TestServer.StartAsync(
            "--Server:PublicUrl=https://truto.example.com/",
            $"--Connect:AllowedRedirectUris:0={RedirectUri}",
            "--Providers:hubspot:ClientId=hubspot-client",
            "--Providers:hubspot:ClientSecret=hubspot-secret");
        using var api = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Url };
        api.DefaultRequestHeaders.Authorization = new("Bearer", Infrastructure.TestServer.EnvironmentToken);

        using var started = await api.GetAsync($"/connect/hubspot?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}");
        using var link = await api.PostAsJsonAsync("/connect-link", new { integration = "hubspot", tenant_id = "acme", redirect_uri = RedirectUri });

        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal("https://truto.example.com/connect/callback", Query(started.Headers.Location!)["redirect_uri"]);
        Assert.StartsWith("https://truto.example.com/connect/hubspot?link_token=", (string?)(await link.Content.ReadFromJsonAsync<JsonObject>())!["url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reconnect_link_makes_an_account_that_needs_reauth_active_again_with_its_id_and_new_tokens()
    {
        var id = Query(await FollowAsync(await DecideAsync(await StartHubSpotAsync(), "allow")))["integrated_account_id"].ToString();
        var contact = _flow.Sandbox["hubspot"].Contacts.Seed(1)[0];
        // The user revoked the app in HubSpot: the next refresh is refused and the account needs re-authorisation.
        using var revoked = await _flow.Api.PatchAsync($"/integrated-account/{id}", JsonContent.Create(new JsonObject
        {
            ["context"] = new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["refresh_token"] = "revoked-by-the-user", ["expires_at"] = "2000-01-01T00:00:00Z" } } },
        }));
        using var refused = await _flow.Api.DeleteAsync($"/unified/crm/contacts/{contact}?integrated_account_id={id}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("needs_reauth", (string?)(await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!["status"]);

        using var started = await _flow.Browser.GetAsync(await ReconnectLinkAsync("hubspot", id));
        var done = await FollowAsync(await DecideAsync(started.Headers.Location!, "allow"));
        var account = (await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        using var deleted = await _flow.Api.DeleteAsync($"/unified/crm/contacts/{contact}?integrated_account_id={id}");

        Assert.Equal(RedirectUri + "?integrated_account_id=" + id, done.ToString());
        Assert.Equal(("active", null, "acme"), ((string?)account["status"], (string?)account["status_message"], (string?)account["tenant_id"]));
        Assert.Single((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(_flow.Sandbox["hubspot"].Contacts.Contains(contact));
    }

    [Fact]
    public async Task A_reconnect_link_of_an_api_key_account_updates_it_through_the_form_and_keeps_its_id()
    {
        var id = await _flow.Server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "old-key", ["user_email"] = "old@example.com" });

        var form = await _flow.Browser.GetStringAsync(await ReconnectLinkAsync("copper", id));
        using var posted = await PostFormAsync(form, ("context[api_key]", "new-key"), ("context[user_email]", "owner@example.com"));

        Assert.Equal(RedirectUri + "?integrated_account_id=" + id, posted.Headers.Location!.ToString());
        Assert.Equal("owner@example.com", (string?)(await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!["context"]!["user_email"]);
        Assert.Single((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
    }

    [Fact]
    public async Task A_reconnect_link_is_not_made_for_an_unknown_account_or_one_of_another_integration()
    {
        var copper = await _flow.Server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "key", ["user_email"] = "owner@example.com" });

        using var unknown = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration = "hubspot", redirect_uri = RedirectUri, integrated_account_id = "no-such-account" });
        using var other = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration = "hubspot", redirect_uri = RedirectUri, integrated_account_id = copper });

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Equal("integrated_account_id", (string?)(await other.Content.ReadFromJsonAsync<JsonObject>())!["details"]!["failures"]![0]!["field"]);
    }

    /// <summary>Starts HubSpot's flow with the API token; answers the authorize URL it redirects to.</summary>
    private async Task<Uri> StartHubSpotAsync()
    {
        using var answer = await _flow.Api.GetAsync($"/connect/hubspot?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}");
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return answer.Headers.Location!;
    }

    /// <summary>Presses Allow or Deny on the sandbox's authorize page; answers where HubSpot sends the browser (the server's callback).</summary>
    private async Task<Uri> DecideAsync(Uri authorize, string decision)
    {
        var query = Query(authorize);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["redirect_uri"] = query["redirect_uri"].ToString(),
            ["state"] = query["state"].ToString(),
            ["scope"] = query["scope"].ToString(),
            ["decision"] = decision,
        });
        using var answer = await _flow.Browser.PostAsync(new Uri(authorize.GetLeftPart(UriPartial.Path)), content);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return answer.Headers.Location!;
    }

    /// <summary>Sends the browser to the server's callback; answers where the server sends it (the application).</summary>
    private async Task<Uri> FollowAsync(Uri callback)
    {
        using var answer = await _flow.Browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return answer.Headers.Location!;
    }

    private async Task<Uri> LinkAsync(string integration)
    {
        using var answer = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration, tenant_id = "acme", redirect_uri = RedirectUri });
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        return new Uri((string)(await answer.Content.ReadFromJsonAsync<JsonObject>())!["url"]!);
    }

    /// <summary>A link that reconnects account <paramref name="id"/> (its tenant is the account's).</summary>
    private async Task<Uri> ReconnectLinkAsync(string integration, string id)
    {
        using var answer = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration, redirect_uri = RedirectUri, integrated_account_id = id });
        Assert.Equal(HttpStatusCode.Created, answer.StatusCode);
        var link = (await answer.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((id, "acme"), ((string?)link["integrated_account_id"], (string?)link["tenant_id"]));
        return new Uri((string)link["url"]!);
    }

    /// <summary>Posts the form of <paramref name="page"/> (its action and state) with <paramref name="fields"/>.</summary>
    private async Task<HttpResponseMessage> PostFormAsync(string page, params (string Name, string Value)[] fields)
    {
        var state = Between(page, "name=\"state\" value=\"", "\"");
        var action = Between(page, "<form method=\"post\" action=\"", "\"");
        using var content = new FormUrlEncodedContent([new("state", state), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
        return await _flow.Browser.PostAsync(action, content);
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal) + start.Length;
        return WebUtility.HtmlDecode(text[from..text.IndexOf(end, from, StringComparison.Ordinal)]);
    }

    private static Dictionary<string, StringValues> Query(Uri uri) => QueryHelpers.ParseQuery(uri.Query);

    public async Task InitializeAsync() => _flow = await ConnectFlowFixture.StartAsync();

    public async Task DisposeAsync() => await _flow.DisposeAsync();
}
