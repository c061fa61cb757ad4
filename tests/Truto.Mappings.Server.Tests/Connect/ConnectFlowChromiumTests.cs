using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// The connect flow in headless Chromium, as a user meets it: the link opens HubSpot's (simulated)
/// authorize page or Copper's form, a button is pressed, and the browser lands on the application's
/// redirect URI with the new account's id or the error.
/// </summary>
public sealed class ConnectFlowChromiumTests : IAsyncLifetime
{
    private ConnectFlowFixture _flow = null!;
    private HeadlessChromium _chromium = null!;

    [Fact]
    public async Task HubSpot_link_then_Allow_lands_on_the_redirect_uri_with_the_new_account()
    {
        await _chromium.NavigateAsync(await LinkAsync("hubspot"));
        await _chromium.WaitUntilAsync("document.getElementById('allow') !== null");

        await _chromium.EvaluateAsync("document.getElementById('allow').click()");
        await _chromium.WaitUntilAsync($"location.href.startsWith('{_flow.BrowserRedirectUri}?')");

        var landed = new Uri((await _chromium.EvaluateAsync("location.href"))!);
        var id = QueryHelpers.ParseQuery(landed.Query)["integrated_account_id"].ToString();
        var account = (await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        Assert.Equal("hubspot", (string?)account["integration"]);
        Assert.Equal("acme", (string?)account["tenant_id"]);
    }

    [Fact]
    public async Task HubSpot_link_then_Deny_lands_on_the_redirect_uri_with_access_denied()
    {
        await _chromium.NavigateAsync(await LinkAsync("hubspot"));
        await _chromium.WaitUntilAsync("document.getElementById('deny') !== null");

        await _chromium.EvaluateAsync("document.getElementById('deny').click()");
        await _chromium.WaitUntilAsync($"location.href.startsWith('{_flow.BrowserRedirectUri}?')");

        var landed = new Uri((await _chromium.EvaluateAsync("location.href"))!);
        Assert.Equal("access_denied", QueryHelpers.ParseQuery(landed.Query)["error"]);
        Assert.Empty((await _flow.Api.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray());
    }

    [Fact]
    public async Task Copper_link_then_the_filled_form_lands_on_the_redirect_uri_with_the_new_account()
    {
        await _chromium.NavigateAsync(await LinkAsync("copper"));
        await _chromium.WaitUntilAsync("document.getElementById('context-api_key') !== null");

        await _chromium.EvaluateAsync(
            "document.getElementById('context-api_key').value = 'copper-key';" +
            "document.getElementById('context-user_email').value = 'owner@example.com';" +
            "document.getElementById('connect').click()");
        await _chromium.WaitUntilAsync($"location.href.startsWith('{_flow.BrowserRedirectUri}?')");

        var landed = new Uri((await _chromium.EvaluateAsync("location.href"))!);
        var id = QueryHelpers.ParseQuery(landed.Query)["integrated_account_id"].ToString();
        var account = (await _flow.Api.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        Assert.Equal("copper", (string?)account["integration"]);
        Assert.Equal("owner@example.com", (string?)account["context"]!["user_email"]);
    }

    [Fact]
    public async Task An_expired_link_shows_its_error_page_in_the_browser()
    {
        var link = await LinkAsync("hubspot");
        _flow.Clock.Advance(TimeSpan.FromMinutes(31));

        await _chromium.NavigateAsync(link);

        await _chromium.WaitUntilAsync("document.getElementById('title').textContent === 'This connect link has expired'");
        Assert.Equal(0, _flow.HubSpotOAuth.TokenRequests);
    }

    private async Task<Uri> LinkAsync(string integration)
    {
        using var answer = await _flow.Api.PostAsJsonAsync("/connect-link", new { integration, tenant_id = "acme", redirect_uri = _flow.BrowserRedirectUri });
        answer.EnsureSuccessStatusCode();
        return new Uri((string)(await answer.Content.ReadFromJsonAsync<JsonObject>())!["url"]!);
    }

    public async Task InitializeAsync()
    {
        _flow = await ConnectFlowFixture.StartAsync();
        _chromium = await HeadlessChromium.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _chromium.DisposeAsync();
        await _flow.DisposeAsync();
    }
}
