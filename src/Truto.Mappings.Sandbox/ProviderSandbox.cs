using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Sandbox.Providers;

namespace Truto.Mappings.Sandbox;

/// <summary>The simulators mapped into one app, by integration name.</summary>
public sealed class ProviderSimulatorSet
{
    private readonly Dictionary<string, ProviderSimulator> _byName;

    internal ProviderSimulatorSet(IReadOnlyList<ProviderSimulator> simulators)
    {
        All = simulators;
        _byName = simulators.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>Every simulator.</summary>
    public IReadOnlyList<ProviderSimulator> All { get; }

    /// <summary>The simulator of an integration, or null when the sandbox has none for it.</summary>
    public ProviderSimulator? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The simulator of an integration.</summary>
    public ProviderSimulator this[string name] => _byName.TryGetValue(name, out var simulator)
        ? simulator
        : throw new KeyNotFoundException($"No simulator '{name}'; simulators: {string.Join(", ", _byName.Keys.Order(StringComparer.Ordinal))}.");
}

/// <summary>Maps the simulators into an ASP.NET Core app (the server's sandbox mode does this).</summary>
public static class ProviderSandboxEndpoints
{
    /// <summary>Maps every simulator under <c>/{name}</c> of <paramref name="endpoints"/>.</summary>
    public static ProviderSimulatorSet MapProviderSimulators(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var set = new ProviderSimulatorSet(ProviderSandbox.CreateSimulators());
        foreach (var simulator in set.All)
        {
            simulator.Map(endpoints);
        }
        return set;
    }
}

/// <summary>
/// Every provider simulator on one Kestrel server. Point an account's <c>base_url</c> at
/// <see cref="ProviderSimulator.BaseUrl"/> (or use <see cref="ProviderSimulator.AccountContext"/>).
/// </summary>
public sealed class ProviderSandbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ProviderSimulatorSet _simulators;

    private ProviderSandbox(WebApplication app, ProviderSimulatorSet simulators, Uri rootUrl)
    {
        _app = app;
        _simulators = simulators;
        RootUrl = rootUrl;
    }

    /// <summary>The integration names the sandbox simulates.</summary>
    public static IReadOnlyList<string> ProviderNames { get; } = CreateSimulators().Select(s => s.Name).ToList();

    /// <summary>The dialect of every simulated provider with an authorization server, by integration name: the provider facts the OAuth tests read.</summary>
    public static IReadOnlyDictionary<string, OAuth.OAuthDialect> OAuthDialects { get; } =
        CreateSimulators().Where(s => s.OAuthServer is not null).ToDictionary(s => s.Name, s => s.OAuthServer!.Dialect, StringComparer.Ordinal);

    /// <summary>The server's root (<c>http://127.0.0.1:port</c>).</summary>
    public Uri RootUrl { get; }

    /// <summary>Every simulator.</summary>
    public IReadOnlyList<ProviderSimulator> Simulators => _simulators.All;

    /// <summary>The simulator of an integration.</summary>
    public ProviderSimulator this[string provider] => _simulators[provider];

    /// <summary>Starts the sandbox on <paramref name="url"/> (port 0 picks a free port).</summary>
    public static async Task<ProviderSandbox> StartAsync(string url = "http://127.0.0.1:0", CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var simulators = app.MapProviderSimulators();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProviderSandbox(app, simulators, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal static IReadOnlyList<ProviderSimulator> CreateSimulators() =>
    [
        new ActiveCampaignSimulator(),
        new AffinitySimulator(),
        new AgileCrmSimulator(),
        new AttioSimulator(),
        new CapsuleSimulator(),
        new CloseSimulator(),
        new CopperSimulator(),
        new Dynamics365Simulator(),
        new FreshsalesSimulator(),
        new HubSpotSimulator(),
        new InsightlySimulator(),
        new KeapSimulator(),
        new MondaySimulator(),
        new NutshellSimulator(),
        new OutreachSimulator(),
        new PipedriveSimulator(),
        new PipelinerSimulator(),
        new SalesforceSimulator(),
        new SalesmateSimulator(),
        new TeamleaderSimulator(),
        new ZendeskSellSimulator(),
        new ZohoSimulator(),
    ];
}
