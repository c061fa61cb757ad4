using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Truto.Mappings.Testing;

/// <summary>
/// A minimal Kestrel app on a free loopback port, without logging: the start and stop every
/// loopback test server (simulated providers, callback receivers, token endpoints) shares. The
/// server maps its handlers in <c>map</c>; this owns the app's lifetime and knows its address.
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackHost(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The app's address, <c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The origin, <c>http://127.0.0.1:{port}</c>, as <c>Egress:AllowedBaseUrls</c> lists it.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>Builds the app, lets <paramref name="map"/> add its handlers, and starts it on a port the OS picks.</summary>
    public static async Task<LoopbackHost> StartAsync(Action<WebApplication> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        try
        {
            map(app);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new LoopbackHost(app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
