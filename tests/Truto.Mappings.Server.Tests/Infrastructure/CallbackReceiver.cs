using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>A loopback endpoint that receives job callbacks: their target, signature header and exact body bytes.</summary>
internal sealed class CallbackReceiver : IAsyncDisposable
{
    private readonly Channel<Delivery> _deliveries = Channel.CreateUnbounded<Delivery>();
    private LoopbackHost _host = null!;

    public Uri Url => _host.Url;

    /// <summary>Answer with this status (the next deliveries fail while it is not 2xx).</summary>
    public int Status { get; set; } = 204;

    public string AllowArgument(int index) => $"--Egress:AllowedBaseUrls:{index}={_host.Origin}";

    public static async Task<CallbackReceiver> StartAsync()
    {
        var receiver = new CallbackReceiver();
        receiver._host = await LoopbackHost.StartAsync(app => app.Run(receiver.ReceiveAsync));
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

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>One callback as received.</summary>
    public sealed record Delivery(string PathAndQuery, string Signature, byte[] Body);
}
