using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Connect;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// The server with the sandbox's OAuth servers as HubSpot's authorize and token endpoints (and its
/// simulated API as HubSpot's base URL), one allowed redirect URI, and a clock the test moves;
/// clients that do not follow redirects, so each step of the flow is seen.
/// </summary>
internal sealed class ConnectFlowFixture : IAsyncDisposable
{
    public const string RedirectUri = "https://app.example.com/connected";

    private ConnectFlowFixture(ProviderSandbox sandbox, TestServer server, ManualClock clock)
    {
        Sandbox = sandbox;
        Server = server;
        Clock = clock;
        Browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = server.Url };
        Api = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Url };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.EnvironmentToken);
    }

    public ProviderSandbox Sandbox { get; }

    public TestServer Server { get; }

    public ManualClock Clock { get; }

    /// <summary>A browser: no API token, no redirects followed.</summary>
    public HttpClient Browser { get; }

    /// <summary>The environment token, no redirects followed.</summary>
    public HttpClient Api { get; }

    /// <summary>An allowed redirect URI a real browser can load (the server's health check), where Chromium's flows end.</summary>
    public string BrowserRedirectUri => Server.Url.ToString().TrimEnd('/') + "/healthz";

    public OAuthServerSimulator HubSpotOAuth => Sandbox["hubspot"].OAuthServer!;

    public static async Task<ConnectFlowFixture> StartAsync()
    {
        var sandbox = await ProviderSandbox.StartAsync();
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var root = sandbox.RootUrl.ToString().TrimEnd('/');
        var server = await TestServer.StartAsync(
            builder => builder.Services.AddSingleton<TimeProvider>(clock),
            $"--Connect:AllowedRedirectUris:0={RedirectUri}",
            $"--Providers:hubspot:ClientId={OAuthServerSimulator.ClientId}",
            $"--Providers:hubspot:ClientSecret={OAuthServerSimulator.ClientSecret}",
            $"--Providers:hubspot:AuthorizeUrl={root}/oauth/hubspot/authorize",
            $"--Providers:hubspot:TokenUrl={root}/oauth/hubspot/token",
            $"--Providers:hubspot:BaseUrl={sandbox["hubspot"].BaseUrl(sandbox.RootUrl)}");
        // The server's port is known only now; the list is read on each request, as sandbox mode relies on.
        server.Services.GetRequiredService<IOptions<ConnectOptions>>().Value.AllowedRedirectUris.Add(server.Url.ToString().TrimEnd('/') + "/healthz");
        return new ConnectFlowFixture(sandbox, server, clock);
    }

    public async ValueTask DisposeAsync()
    {
        Browser.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
