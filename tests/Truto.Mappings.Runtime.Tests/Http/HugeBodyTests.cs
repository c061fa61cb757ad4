using System.Net;
using System.Net.Sockets;
using System.Text;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// A provider that answers 300 MB of malformed JSON (made as it is sent, never held) after it may
/// have deleted: a 502 naming the read limit, never a 500, and the server stops reading early.
/// </summary>
public sealed class HugeBodyTests : IAsyncLifetime, IDisposable
{
    private const long Size = 300L * 1024 * 1024;

    private TcpListener _listener = null!;
    private Task _serving = Task.CompletedTask;
    private long _sent;

    [Fact]
    public async Task A_300_MB_malformed_answer_is_a_502_naming_the_limit_and_is_not_read_whole()
    {
        var url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        await using var unused = await ReplayServer.StartAsync();
        var client = LoopbackRuntime.Client(unused, [new LoopbackDelete(new LoopbackProvider("huge"))], o =>
        {
            o.MaxAttempts = 1;
            o.ProviderBaseUrls["huge"] = url;
        });

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("huge"), "7");

        Assert.Equal(502, result.StatusCode);
        Assert.Contains("Runtime:MaxResponseBytes", result.Error!.Message, StringComparison.Ordinal);
        Assert.InRange(Interlocked.Read(ref _sent), 1, Size / 4);
    }

    public Task InitializeAsync()
    {
        // A raw socket, not Kestrel: Kestrel may accept and discard writes after the client hung up,
        // so what it "sent" says nothing about what the runtime read. Here a send succeeds only into
        // the kernel's buffers of a connection the runtime still holds open.
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _serving = ServeOneAsync();
        return Task.CompletedTask;
    }

    private async Task ServeOneAsync()
    {
        using var socket = await _listener.AcceptSocketAsync();
        var header = new byte[4096];
        await socket.ReceiveAsync(header, SocketFlags.None);
        await socket.SendAsync("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":[", 8192)));
        var chunk = Encoding.ASCII.GetBytes($"{payload.Length:x}\r\n").Concat(payload).Concat("\r\n"u8.ToArray()).ToArray();
        try
        {
            for (long written = 0; written < Size; written += payload.Length)
            {
                await socket.SendAsync(chunk, SocketFlags.None);
                Interlocked.Add(ref _sent, payload.Length);
            }
        }
        catch (SocketException)
        {
            // The runtime hung up: what this test expects.
        }
    }

    public async Task DisposeAsync()
    {
        _listener.Stop();
        await _serving;
    }

    public void Dispose() => _listener.Dispose();
}
