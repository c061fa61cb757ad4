using System.Net;
using System.Net.Sockets;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// A DELETE that may have reached the provider (it timed out, TLS failed) is tried again only
/// when its operation is idempotent; one that certainly never left (connection refused) always is.
/// </summary>
public sealed class IdempotentRetryTests : IAsyncLifetime, IDisposable
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ListLoggerProvider _logs = new();
    private ReplayServer _server = null!;

    [Theory]
    [InlineData(true, 200, 2)]
    [InlineData(false, 504, 1)]
    public async Task A_timed_out_delete_is_retried_only_when_idempotent(bool idempotent, int status, int requests)
    {
        var provider = new LoopbackProvider("slow");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Load([NoContent with { HoldBeforeAnswer = _release.Task, Arrived = arrived }, NoContent]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider, idempotent)], o =>
        {
            o.MaxAttempts = 2;
            o.ProviderTimeout = TimeSpan.FromSeconds(1);
        });

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("slow"), "7");
        // On a busy machine the held request may reach the provider's handler only after the attempt timed out.
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(status, result.StatusCode);
        Assert.Equal(requests, _server.Received.Count);
    }

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 0)]
    public async Task A_delete_whose_TLS_handshake_failed_is_retried_only_when_idempotent(bool idempotent, int retries)
    {
        // https to a plain-HTTP listener: the handshake fails after the connection was made.
        var provider = new LoopbackProvider("tls");
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider, idempotent)], o =>
        {
            o.MaxAttempts = 2;
            o.ProviderBaseUrls["tls"] = new UriBuilder(_server.Url) { Scheme = "https" }.Uri.ToString();
        }, logs: _logs);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("tls"), "7");

        Assert.Equal(502, result.StatusCode);
        Assert.Contains("TLS", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(retries, _logs.Lines.Count(l => l.Contains("attempt 2", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_delete_that_could_not_connect_is_retried_even_when_not_idempotent()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var provider = new LoopbackProvider("gone");
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider, idempotent: false)], o =>
        {
            o.MaxAttempts = 2;
            o.ProviderBaseUrls["gone"] = $"http://127.0.0.1:{port}";
        }, logs: _logs);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("gone"), "7");

        Assert.Equal(502, result.StatusCode);
        Assert.Single(_logs.Lines, l => l.Contains("attempt 2", StringComparison.Ordinal));
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();
}
