using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// A provider that answers 300 MB of malformed JSON (made as it is sent, never held) after it may
/// have deleted: a 502 naming the read limit, never a 500, and the server stops reading early.
/// </summary>
public sealed class HugeBodyTests : IAsyncLifetime
{
    private const long Size = 300L * 1024 * 1024;

    private WebApplication _provider = null!;
    private long _sent;

    [Fact]
    public async Task A_300_MB_malformed_answer_is_a_502_naming_the_limit_and_is_not_read_whole()
    {
        var url = _provider.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _provider = builder.Build();
        _provider.Run(async context =>
        {
            context.Response.ContentType = "application/json";
            var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":[", 8192)));
            try
            {
                // Kestrel may complete writes after the client hung up (they are discarded), so the
                // loop itself stops at the abort: _sent counts what could have reached the runtime.
                for (long written = 0; written < Size && !context.RequestAborted.IsCancellationRequested; written += chunk.Length)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    Interlocked.Add(ref _sent, chunk.Length);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException)
            {
                // The runtime hung up: what this test expects.
            }
        });
        await _provider.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _provider.StopAsync();
        await _provider.DisposeAsync();
    }
}
