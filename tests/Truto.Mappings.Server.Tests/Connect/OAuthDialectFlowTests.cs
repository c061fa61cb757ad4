using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// Each OAuth provider's connect flow and token lifecycle through the server and the sandbox's
/// simulators, in the provider's own shapes: the account the flow makes deletes a contact, an
/// expired access token (answered with the provider's own 401 body) is refreshed once and the call
/// retried, and the refresh token the provider answered (rotated or not) keeps working next time.
/// </summary>
public sealed class OAuthDialectFlowTests(OAuthDialectFixture flow) : IClassFixture<OAuthDialectFixture>
{
    private const string RedirectUri = OAuthDialectFixture.RedirectUri;

    // Attio's token lands in oauth.token.access_token, the first key of its auth's fallback to api_key.
    [Theory]
    [MemberData(nameof(OAuthProviders.WithConnectContext), MemberType = typeof(OAuthProviders))]
    public async Task The_connect_flow_makes_an_account_that_deletes_a_contact(string provider, string context)
    {
        var ids = flow.Sandbox[provider].Contacts.Seed(1);

        var account = await ConnectAsync(provider, context);
        using var deleted = await flow.Api.DeleteAsync($"/unified/crm/contacts/{ids[0]}?integrated_account_id={account}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(flow.Sandbox[provider].Contacts.Contains(ids[0]));
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.RefreshingWithConnectContext), MemberType = typeof(OAuthProviders))]
    public async Task An_expired_access_token_is_refreshed_on_the_providers_401_and_the_answered_refresh_token_works_again(string provider, string context)
    {
        var oauth = flow.OAuth(provider);
        var ids = flow.Sandbox[provider].Contacts.Seed(2);
        var account = await ConnectAsync(provider, context);
        var before = oauth.TokenRequests;

        // Twice: the second refresh needs the refresh token the first one answered (a new one where the provider rotates).
        for (var i = 0; i < 2; i++)
        {
            flow.Clock(provider).Advance(oauth.AccessTokenLifetime + TimeSpan.FromMinutes(1));
            using var deleted = await flow.Api.DeleteAsync($"/unified/crm/contacts/{ids[i]}?integrated_account_id={account}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.False(flow.Sandbox[provider].Contacts.Contains(ids[i]));
            // Sent twice: refused with the provider's expired-token answer, then retried with the new token.
            Assert.Equal(2, flow.Sandbox[provider].Requests.Count(r => (r.Path + r.QueryString + r.Body).Contains(ids[i], StringComparison.Ordinal)));
        }

        Assert.Equal(before + 2, oauth.TokenRequests);
        var status = (await flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{account}"))!["status"];
        Assert.NotEqual("needs_reauth", (string?)status);
    }

    [Fact]
    public async Task Mondays_expired_token_answered_in_the_body_of_a_200_is_refreshed_once_by_its_declared_code_and_the_delete_succeeds()
    {
        var monday = (Truto.Mappings.Sandbox.Providers.MondaySimulator)flow.Sandbox["monday"];
        var oauth = flow.OAuth("monday");
        var ids = monday.Contacts.Seed(1);
        var account = await ConnectAsync("monday", "");
        var before = oauth.TokenRequests;
        monday.ExpiredTokenAnsweredInBody = true;
        try
        {
            flow.Clock("monday").Advance(oauth.AccessTokenLifetime + TimeSpan.FromMinutes(1));

            using var deleted = await flow.Api.DeleteAsync($"/unified/crm/contacts/{ids[0]}?integrated_account_id={account}");

            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            Assert.False(monday.Contacts.Contains(ids[0]));
            Assert.Equal(before + 1, oauth.TokenRequests);
            // Sent twice: the 200 with UNAUTHENTICATED in its errors, then the retry with the new token.
            Assert.Equal(2, monday.Requests.Count(r => r.Body.Contains(ids[0], StringComparison.Ordinal)));
        }
        finally
        {
            monday.ExpiredTokenAnsweredInBody = false;
        }
    }

    [Fact]
    public async Task Zohos_callback_names_the_accounts_server_the_code_is_exchanged_at_and_the_account_keeps()
    {
        var oauth = flow.OAuth("zoho");
        oauth.CallbackParameters = [new("location", "eu"), new("accounts-server", "https://accounts.zoho.eu")];
        try
        {
            // The link names none (or another): the callback's is the account's.
            var account = await ConnectAsync("zoho", "&context%5Baccounts_server%5D=accounts.zoho.com");

            var stored = (await flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{account}"))!;
            Assert.Equal("accounts.zoho.eu", (string?)stored["context"]!["accounts_server"]);
        }
        finally
        {
            oauth.CallbackParameters = [new("location", "us"), new("accounts-server", "https://accounts.zoho.com")];
        }
    }

    [Theory]
    [InlineData("https://accounts.evil.example")]
    [InlineData("https://accounts.zoho.eu.evil.example")]
    [InlineData("https://accounts.zoho.eu@evil.example")]
    [InlineData("https://accounts.zoho.eu/steal")]
    [InlineData("http://accounts.zoho.eu")]
    public async Task A_callback_naming_an_accounts_server_the_yaml_does_not_is_refused_before_any_token_request(string server)
    {
        var oauth = flow.OAuth("zoho");
        oauth.CallbackParameters = [new("location", "eu"), new("accounts-server", server)];
        try
        {
            var before = oauth.TokenRequests;

            var done = await CallbackAsync("zoho", "");

            var query = Query(done);
            Assert.Equal("invalid_callback", query["error"].ToString());
            Assert.Contains("accounts_server", query["error_description"].ToString(), StringComparison.Ordinal);
            Assert.False(query.ContainsKey("integrated_account_id"));
            Assert.Equal(before, oauth.TokenRequests);
        }
        finally
        {
            oauth.CallbackParameters = [new("location", "us"), new("accounts-server", "https://accounts.zoho.com")];
        }
    }

    [Fact]
    public async Task Dynamics_365s_scope_at_authorize_and_at_every_token_request_names_the_accounts_environment()
    {
        const string Environment = "https://contoso.crm4.dynamics.com";
        const string Scope = Environment + "/user_impersonation offline_access";
        var link = "&context%5Binstance_url%5D=" + Uri.EscapeDataString(Environment);
        var oauth = flow.OAuth("dynamics365");
        var ids = flow.Sandbox["dynamics365"].Contacts.Seed(1);
        using var start = await flow.Api.GetAsync($"/connect/dynamics365?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}{link}");
        var seen = oauth.SeenTokenRequests.Count;

        var account = await ConnectAsync("dynamics365", link);
        flow.Clock("dynamics365").Advance(oauth.AccessTokenLifetime + TimeSpan.FromMinutes(1));
        using var deleted = await flow.Api.DeleteAsync($"/unified/crm/contacts/{ids[0]}?integrated_account_id={account}");

        Assert.Equal(Scope, Query(start.Headers.Location!)["scope"].ToString());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal([new("authorization_code", Scope), new SeenTokenRequest("refresh_token", Scope)], oauth.SeenTokenRequests.Skip(seen));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&context%5Binstance_url%5D=http%3A%2F%2Facme.crm.dynamics.com")]
    [InlineData("&context%5Binstance_url%5D=https%3A%2F%2Facme.crm.dynamics.com%20https%3A%2F%2Fother.example%2F.default")]
    public async Task A_dynamics_365_connect_link_without_a_valid_environment_is_refused_before_the_authorize_redirect(string link)
    {
        using var start = await flow.Api.GetAsync($"/connect/dynamics365?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}{link}");

        Assert.Equal(HttpStatusCode.BadRequest, start.StatusCode);
        Assert.Null(start.Headers.Location);
        Assert.Contains("instance_url", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Starts the flow with the API token, presses Allow on the simulator's page (sending what the page carries, PKCE included), follows the callback; answers the account id.</summary>
    private async Task<string> ConnectAsync(string provider, string context)
    {
        var done = Query(await CallbackAsync(provider, context));
        Assert.True(done.ContainsKey("integrated_account_id"), string.Join("&", done.Select(p => p.Key + "=" + p.Value)));
        return done["integrated_account_id"].ToString();
    }

    /// <summary>The flow up to the callback's redirect back to the application: where it sends the browser.</summary>
    private async Task<Uri> CallbackAsync(string provider, string context)
    {
        using var start = await flow.Api.GetAsync($"/connect/{provider}?tenant_id=acme&redirect_uri={Uri.EscapeDataString(RedirectUri)}{context}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var authorize = start.Headers.Location!;
        var query = Query(authorize);
        var fields = new Dictionary<string, string> { ["decision"] = "allow" };
        foreach (var name in new[] { "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method" })
        {
            fields[name] = query.TryGetValue(name, out var value) ? value.ToString() : "";
        }
        using var content = new FormUrlEncodedContent(fields);
        using var decided = await flow.Browser.PostAsync(new Uri(authorize.GetLeftPart(UriPartial.Path)), content);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        using var callback = await flow.Browser.GetAsync(decided.Headers.Location!);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        return callback.Headers.Location!;
    }

    private static Dictionary<string, StringValues> Query(Uri uri) => QueryHelpers.ParseQuery(uri.Query);
}
