using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Truto.Mappings.Client;
using Truto.Mappings.Http;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// The per-account circuit breaker over real HTTP: after a run of provider failures it answers 503
/// with Retry-After without calling the provider, lets one call probe after the break, and keeps
/// accounts apart. A fake clock ends the break.
/// </summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");
    private static readonly RecordedAnswer ServerError = new(500, new Dictionary<string, string>(), "{\"message\":\"boom\"}", "application/json");

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplayServer _server = null!;
    private UnifiedContactsClient _client = null!;

    [Fact]
    public async Task After_a_run_of_failures_calls_fail_fast_with_a_503_and_Retry_After_until_a_probe_succeeds()
    {
        _server.Load([ServerError, ServerError, NoContent, NoContent]);
        await using var first = await Delete();
        await using var second = await Delete();

        await using var open = await Delete();

        Assert.Equal((500, 500), (first.StatusCode, second.StatusCode));
        Assert.Equal(503, open.StatusCode);
        Assert.Contains("flaky", open.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "30"), open.Headers);
        Assert.Equal(2, _server.Received.Count);

        _time.Advance(TimeSpan.FromSeconds(30));
        await using var probe = await Delete();
        await using var closed = await Delete();

        Assert.Equal((200, 200), (probe.StatusCode, closed.StatusCode));
        Assert.Equal(4, _server.Received.Count);
    }

    [Fact]
    public async Task While_the_probe_is_out_other_calls_still_fail_fast()
    {
        _server.Load([ServerError, ServerError, NoContent with { HoldBeforeAnswer = _release.Task }]);
        await using var first = await Delete();
        await using var second = await Delete();
        _time.Advance(TimeSpan.FromSeconds(30));

        var probe = Delete();
        while (_server.Received.Count < 3)
        {
            await Task.WhenAny(probe, Task.Delay(10));
        }
        await using var other = await Delete();
        _release.SetResult();
        await using var probed = await probe;

        Assert.Equal(503, other.StatusCode);
        Assert.Equal(200, probed.StatusCode);
        Assert.Equal(3, _server.Received.Count);
    }

    [Fact]
    public async Task Client_errors_do_not_open_the_breaker()
    {
        var notFound = new RecordedAnswer(404, new Dictionary<string, string>(), "{\"message\":\"no such contact\"}", "application/json");
        _server.Load(notFound, 3);

        for (var i = 0; i < 3; i++)
        {
            await using var result = await Delete();
            Assert.Equal(404, result.StatusCode);
        }

        Assert.Equal(3, _server.Received.Count);
    }

    [Fact]
    public async Task One_accounts_open_breaker_does_not_stop_another_account()
    {
        _server.Load([ServerError, ServerError, NoContent]);
        await using var first = await Delete("acc-1");
        await using var second = await Delete("acc-1");

        await using var open = await Delete("acc-1");
        await using var other = await Delete("acc-2");

        Assert.Equal((503, 200), (open.StatusCode, other.StatusCode));
    }

    [Fact]
    public void Breakers_unused_for_a_while_are_dropped()
    {
        var options = Options.Create(new TrutoMappingsOptions { BreakerSamplingDuration = TimeSpan.FromSeconds(30), BreakerDuration = TimeSpan.FromSeconds(30) });
        var breakers = new ProviderCircuitBreakers(options, _time);
        breakers.For("flaky", "acc-1");
        breakers.For("flaky", "acc-2");

        _time.Advance(TimeSpan.FromMinutes(1));
        breakers.For("flaky", "acc-3");

        Assert.Equal(1, breakers.Count);
    }

    private Task<UnifiedResult> Delete(string account = "acc-1") => _client.DeleteAsync(LoopbackRuntime.Account("flaky", account), "7");

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        _client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("flaky"))], o =>
        {
            o.MaxAttempts = 1;
            o.BreakerMinimumThroughput = 2;
            o.BreakerFailureRatio = 0.5;
            o.BreakerDuration = TimeSpan.FromSeconds(30);
        }, _time);
    }

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }
}
