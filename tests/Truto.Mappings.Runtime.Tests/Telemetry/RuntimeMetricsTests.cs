using Truto.Mappings.Adapters;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Telemetry;

/// <summary>
/// The runtime's instruments over real HTTP on loopback, read as an exporter reads them: what each
/// call records and with which labels. Each test uses its own integration name, so parallel tests'
/// measurements do not mix in.
/// </summary>
public sealed class RuntimeMetricsTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private ReplayServer _server = null!;

    [Fact]
    public async Task A_retried_delete_records_one_provider_call_with_its_attempts_the_retry_and_the_unified_call()
    {
        using var metrics = new MetricRecorder();
        _server.Load([new RecordedAnswer(503, new Dictionary<string, string> { ["Retry-After"] = "0" }, """{"message":"busy"}""", "application/json"), NoContent]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("metered-retry"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("metered-retry"), "51");

        Assert.Equal(200, result.StatusCode);
        var call = Assert.Single(metrics.Of("truto.provider.call.duration", "metered-retry"));
        Assert.Equal(204, call["http.response.status_code"]);
        Assert.False(call.Tags.ContainsKey("error.type"));
        Assert.Equal(2, Assert.Single(metrics.Of("truto.provider.call.attempts", "metered-retry")).Value);
        var retry = Assert.Single(metrics.Of("truto.provider.call.retries", "metered-retry"));
        Assert.Equal("503", retry["truto.retry.reason"]);
        var unified = Assert.Single(metrics.Of("truto.unified.request.duration", "metered-retry"));
        Assert.Equal("delete", unified["truto.method"]);
        Assert.Equal(200, unified["http.response.status_code"]);
    }

    [Fact]
    public async Task An_unreachable_provider_is_recorded_with_the_runtimes_status_and_an_error_type()
    {
        using var metrics = new MetricRecorder();
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("metered-down"))], o =>
        {
            // A closed loopback port, allowed: the connection is refused (and retried, as it was never sent).
            o.ProviderBaseUrls["metered-down"] = "http://127.0.0.1:9";
            o.Egress.AllowedBaseUrls.Add("http://127.0.0.1:9");
        });

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("metered-down"), "51");

        Assert.Equal(502, result.StatusCode);
        var call = Assert.Single(metrics.Of("truto.provider.call.duration", "metered-down"));
        Assert.Equal(502, call["http.response.status_code"]);
        Assert.Equal("unreachable", call["error.type"]);
        Assert.All(metrics.Of("truto.provider.call.retries", "metered-down"), r => Assert.Equal("ConnectionError", r["truto.retry.reason"]));
    }

    [Fact]
    public async Task A_provider_with_a_declared_rate_records_each_calls_wait()
    {
        using var metrics = new MetricRecorder();
        _server.Load(NoContent, 2);
        var provider = new LoopbackProvider("metered-paced", new RequestRate(100, TimeSpan.FromSeconds(1), 100));
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider)]);

        await using (await client.DeleteAsync(LoopbackRuntime.Account("metered-paced"), "51"))
        await using (await client.DeleteAsync(LoopbackRuntime.Account("metered-paced"), "52"))
        {
        }

        var waits = metrics.Of("truto.provider.rate_limit.wait.duration", "metered-paced");
        Assert.Equal(2, waits.Count);
        Assert.All(waits, w => Assert.True(w.Value >= 0));
    }

    [Fact]
    public async Task A_batch_counts_its_ids_by_outcome_refused_ids_as_failed()
    {
        using var metrics = new MetricRecorder();
        _server.Load(NoContent, 2);
        var client = LoopbackRuntime.Client(_server, [new LoopbackFanOut(new LoopbackDelete(new LoopbackProvider("metered-batch")), concurrency: 1)]);

        // "..": never sent (it would bend the path); the other two are deleted one call each.
        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("metered-batch"), ["1", "..", "2"]);

        var ids = metrics.Of("truto.batch.ids", "metered-batch");
        Assert.Equal(2, ids.Where(m => Equals(m["truto.outcome"], "deleted")).Sum(m => m.Value));
        Assert.Equal(1, ids.Where(m => Equals(m["truto.outcome"], "failed")).Sum(m => m.Value));
        Assert.Equal("batch_delete", Assert.Single(metrics.Of("truto.unified.request.duration", "metered-batch"))["truto.method"]);
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
