using Microsoft.Extensions.Logging;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// Provider calls cost the request path no log line at Information when they succeed: the call is
/// logged at Debug, an error answer at Information, and the HttpClient factory's own lines are gone.
/// The retry pipeline is shared by all calls, each keeping its own retry budget.
/// </summary>
public sealed class ProviderCallLogTests : IAsyncLifetime, IDisposable
{
    private const string TransportCategory = "Truto.Mappings.Http.ProviderTransport";

    private readonly ListLoggerProvider _logs = new();
    private ReplayServer _server = null!;

    [Fact]
    public async Task A_call_answered_with_success_is_logged_once_at_Debug_and_the_HttpClient_factory_logs_nothing()
    {
        _server.Load([Answer(204)]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("quiet"))], logs: _logs);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("quiet"), "7");

        Assert.Equal(200, result.StatusCode);
        var call = Assert.Single(_logs.Entries, e => e.Category == TransportCategory);
        Assert.Equal(LogLevel.Debug, call.Level);
        Assert.Contains("answered 204", call.Line, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Category.StartsWith("System.Net.Http.HttpClient", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_call_answered_with_an_error_is_logged_at_Information()
    {
        _server.Load([Answer(404)]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("missing"))], logs: _logs);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("missing"), "7");

        var call = Assert.Single(_logs.Entries, e => e.Category == TransportCategory);
        Assert.Equal(LogLevel.Information, call.Level);
        Assert.Contains("answered 404", call.Line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_call_through_the_shared_retry_pipeline_has_its_own_retry_budget()
    {
        // The budget fits one Retry-After wait per call; were it shared, the second call could not retry.
        var busy = new RecordedAnswer(503, new Dictionary<string, string> { ["Retry-After"] = "1" }, null, "application/json");
        _server.Load([busy, Answer(204), busy, Answer(204)]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("flaky"))], o =>
        {
            o.MaxAttempts = 2;
            o.MaxRetryWait = TimeSpan.FromSeconds(1.5);
        }, logs: _logs);

        await using var first = await client.DeleteAsync(LoopbackRuntime.Account("flaky"), "7");
        await using var second = await client.DeleteAsync(LoopbackRuntime.Account("flaky"), "8");

        Assert.Equal([200, 200], new[] { first.StatusCode, second.StatusCode });
        Assert.Equal(2, _logs.Lines.Count(l => l.Contains("attempt 2", StringComparison.Ordinal)));
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _logs.Dispose();

    private static RecordedAnswer Answer(int status) => new(status, new Dictionary<string, string>(), null, "application/json");
}
