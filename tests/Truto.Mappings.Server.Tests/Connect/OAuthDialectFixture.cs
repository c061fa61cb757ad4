using System.Net.Http.Headers;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// One sandbox and one server for every OAuth provider's dialect tests: each provider's OAuth app
/// (client, authorize and token URLs) and API point at its simulator, the sandbox's origin is an
/// allowed http origin (token answers name it as instance_url / api_domain), and each authorization
/// server has its own clock, so a test expires one provider's tokens without the server knowing.
/// </summary>
public sealed class OAuthDialectFixture : IAsyncLifetime
{
    public const string RedirectUri = "https://app.example.com/connected";

    /// <summary>The providers connected through OAuth: every simulator with an authorization server.</summary>
    public static readonly string[] Providers = [.. OAuthProviders.Names];

    private readonly Dictionary<string, ManualClock> _clocks = new(StringComparer.Ordinal);

    internal ProviderSandbox Sandbox { get; private set; } = null!;

    internal TestServer Server { get; private set; } = null!;

    /// <summary>A browser: no API token, no redirects followed.</summary>
    internal HttpClient Browser { get; private set; } = null!;

    /// <summary>The environment token, no redirects followed.</summary>
    internal HttpClient Api { get; private set; } = null!;

    internal OAuthServerSimulator OAuth(string provider) => Sandbox[provider].OAuthServer!;

    internal ManualClock Clock(string provider) => _clocks[provider];

    public async Task InitializeAsync()
    {
        Sandbox = await ProviderSandbox.StartAsync();
        var root = Sandbox.RootUrl.ToString().TrimEnd('/');
        var args = new List<string> { $"--Connect:AllowedRedirectUris:0={RedirectUri}", $"--Egress:AllowedBaseUrls:0={root}", "--Runtime:RetryBaseDelay=00:00:00" };
        foreach (var provider in Providers)
        {
            var oauth = OAuth(provider);
            var clock = new ManualClock(DateTimeOffset.UtcNow);
            oauth.Clock = clock;
            _clocks[provider] = clock;
            args.Add($"--Providers:{provider}:ClientId={OAuthServerSimulator.ClientId}");
            args.Add($"--Providers:{provider}:ClientSecret={OAuthServerSimulator.ClientSecret}");
            args.Add($"--Providers:{provider}:AuthorizeUrl={root}{oauth.AuthorizePath}");
            args.Add($"--Providers:{provider}:TokenUrl={root}{oauth.TokenPath}");
            args.Add($"--Providers:{provider}:BaseUrl={Sandbox[provider].BaseUrl(Sandbox.RootUrl)}");
        }
        Server = await TestServer.StartAsync([.. args]);
        Browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = Server.Url };
        Api = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Server.Url };
        Api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestServer.EnvironmentToken);
    }

    public async Task DisposeAsync()
    {
        Browser.Dispose();
        Api.Dispose();
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
