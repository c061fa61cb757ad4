using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>A loopback endpoint that receives job callbacks: their target, signature header and exact body bytes.</summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>();

    private CallbackReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Answer with this status (the next deliveries fail while it is not 2xx).</summary>
    public int Status { get; set; } = 204;

    public string AllowArgument(int index) => $"--Egress:AllowedBaseUrls:{index}={Url.GetLeftPart(UriPartial.Authority)}";

    public static async Task<CallbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new CallbackReceiver(app);
        app.Run(receiver.ReceiveAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return receiver;
    }

    /// <summary>The next delivery (at most 30 s away).</summary>
    public async Task<Delivery> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _deliveries.Reader.ReadAsync(timeout.Token);
    }

    private async Task ReceiveAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        await _deliveries.Writer.WriteAsync(new Delivery(context.Request.Path + context.Request.QueryString, context.Request.Headers["Truto-Signature"].ToString(), buffer.ToArray()));
        context.Response.StatusCode = Status;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One callback as received.</summary>
    public sealed record Delivery(string PathAndQuery, string Signature, byte[] Body);
}
