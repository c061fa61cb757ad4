using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>The sandbox's HubSpot authorization server: HubSpot's token answer and refusals, expiring tokens, HubSpot's expired-token 401.</summary>
public sealed class HubSpotOAuthSimulatorTests : IAsyncLifetime, IDisposable
{
    private const string Callback = "https://truto.example.com/connect/callback";
    private ProviderSandbox _sandbox = null!;
    private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false });

    private OAuthServerSimulator OAuth => _sandbox["hubspot"].OAuthServer!;

    [Fact]
    public async Task A_code_is_exchanged_once_for_HubSpots_token_answer()
    {
        var code = await AllowAsync();

        using var first = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));
        using var again = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));

        var answer = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("bearer", (string?)answer["token_type"]);
        Assert.Equal(1800, (int)answer["expires_in"]!);
        Assert.NotNull((string?)answer["refresh_token"]);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        var refused = (await again.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("invalid_grant", "BAD_AUTH_CODE"), ((string?)refused["error"], (string?)refused["status"]));
    }

    [Fact]
    public async Task An_expired_access_token_gets_HubSpots_EXPIRED_AUTHENTICATION_401_and_a_refresh_keeps_the_refresh_token()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        OAuth.Clock = clock;
        using var exchanged = await TokenAsync(("grant_type", "authorization_code"), ("code", await AllowAsync()), ("redirect_uri", Callback));
        var tokens = (await exchanged.Content.ReadFromJsonAsync<JsonObject>())!;
        clock.Advance(TimeSpan.FromMinutes(31));

        using var call = new HttpRequestMessage(HttpMethod.Delete, _sandbox["hubspot"].BaseUrl(_sandbox.RootUrl) + "/crm/v3/objects/contacts/1001");
        call.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["access_token"]!);
        using var expired = await _http.SendAsync(call);
        using var refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", (string)tokens["refresh_token"]!));

        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("EXPIRED_AUTHENTICATION", (string?)(await expired.Content.ReadFromJsonAsync<JsonObject>())!["category"]);
        var renewed = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((string?)tokens["refresh_token"], (string?)renewed["refresh_token"]);
        Assert.Equal(AccessTokenStatus.Valid, OAuth.Check((string)renewed["access_token"]!));
    }

    private async Task<string> AllowAsync()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["redirect_uri"] = Callback, ["state"] = "s", ["decision"] = "allow" });
        using var answer = await _http.PostAsync(new Uri(_sandbox.RootUrl, OAuth.AuthorizePath), form);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["code"].ToString();
    }

    private async Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] fields)
    {
        using var form = new FormUrlEncodedContent([new("client_id", OAuthServerSimulator.ClientId), new("client_secret", OAuthServerSimulator.ClientSecret),
            .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);
        return await _http.PostAsync(new Uri(_sandbox.RootUrl, OAuth.TokenPath), form);
    }

    public async Task InitializeAsync() => _sandbox = await ProviderSandbox.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    public void Dispose() => _http.Dispose();
}
