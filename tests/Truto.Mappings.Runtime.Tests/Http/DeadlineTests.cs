using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// Total deadlines over real HTTP on loopback: one delete and one batch may take only so long,
/// waits for retries and for the rate limit included. The provider holds requests open until the
/// test ends; a fake clock makes the deadlines pass.
/// </summary>
public sealed class DeadlineTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private ReplayServer _server = null!;

    [Fact]
    public async Task A_delete_that_outlasts_its_deadline_is_a_504_naming_the_deadline()
    {
        var provider = new LoopbackProvider("held");
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Load([NoContent with { HoldBeforeAnswer = _release.Task, Arrived = arrived }]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider)], o =>
        {
            o.ProviderTimeout = TimeSpan.FromHours(1);
            o.CallDeadline = TimeSpan.FromSeconds(60);
        }, _time);

        var delete = client.DeleteAsync(LoopbackRuntime.Account("held"), "7");
        // The clock moves only once the provider holds the request: moved earlier (a loaded machine),
        // the deadline passes before the request is sent and the provider never sees it.
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var result = await Clock.AdvanceUntilDoneAsync(_time, delete, TimeSpan.FromSeconds(20));

        Assert.Equal(504, result.StatusCode);
        Assert.Contains("deadline of 60 s (Runtime:CallDeadline)", result.Error!.Message, StringComparison.Ordinal);
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task A_rate_limit_wait_longer_than_the_deadline_leaves_is_a_429_at_once_with_retry_after_and_nothing_sent()
    {
        var provider = new LoopbackProvider("paced", OnePerHour);
        _server.Load(NoContent, 2);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider)], o => o.CallDeadline = TimeSpan.FromSeconds(60), _time);
        await using var first = await client.DeleteAsync(LoopbackRuntime.Account("paced"), "1");

        // The clock never moves: the second call is refused now, not held until its deadline passes.
        await using var second = await client.DeleteAsync(LoopbackRuntime.Account("paced"), "2");

        Assert.Equal(200, first.StatusCode);
        Assert.Equal(429, second.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "3600"), second.Headers);
        Assert.Equal("paced allows 1 call per 60 min per account; the next call fits in 60 min. That is beyond the deadline of 60 s (Runtime:CallDeadline), so the call was not sent. Retry after that.",
            second.Error!.Message);
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task Waiting_for_the_rate_limit_counts_toward_the_deadline()
    {
        // One call per 50 s: the second call waits 50 s of its 60, is sent, and the provider holds it past the rest.
        var provider = new LoopbackProvider("paced", new RequestRate(1, TimeSpan.FromSeconds(50), 1));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Load([NoContent, NoContent with { HoldBeforeAnswer = _release.Task, Arrived = arrived }]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider)], o =>
        {
            o.ProviderTimeout = TimeSpan.FromHours(1);
            o.CallDeadline = TimeSpan.FromSeconds(60);
        }, _time);
        await using var first = await client.DeleteAsync(LoopbackRuntime.Account("paced"), "1");

        var second = client.DeleteAsync(LoopbackRuntime.Account("paced"), "2");
        // Booked 50 s ahead of the first call whether the clock moves before or after the booking.
        _time.Advance(TimeSpan.FromSeconds(50));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var result = await Clock.AdvanceUntilDoneAsync(_time, second, TimeSpan.FromSeconds(1));

        Assert.Equal(504, result.StatusCode);
        Assert.Contains("deadline of 60 s (Runtime:CallDeadline)", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task A_batch_whose_rate_limit_waits_outrun_its_deadline_answers_the_ids_not_sent_429()
    {
        // One call an hour, a deadline of 10 min: the first chunk goes, the others cannot be waited for.
        var provider = new LoopbackProvider("paced", OnePerHour);
        _server.Load(new RecordedAnswer(200, new Dictionary<string, string>(), "{}", "application/json"), 3);
        var client = LoopbackRuntime.Client(_server, [new LoopbackBatch(provider, idsPerCall: 2, concurrency: 1)], o => o.BatchDeadline = TimeSpan.FromMinutes(10), _time);

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("paced"), ["1", "2", "3", "4", "5", "6"]);

        Assert.Equal(200, result.StatusCode);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["1", "2"], body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["3", "4", "5", "6"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal(429, e.GetProperty("statusCode").GetInt32()));
        Assert.All(errors, e => Assert.Contains("beyond the deadline of 10 min (Runtime:BatchDeadline)", e.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task A_batch_past_its_deadline_answers_every_id_once_with_the_ids_not_sent_as_504s()
    {
        // One call per 6 min: the first chunk goes, the second waits 6 min and is held by the provider
        // past the deadline, the third never starts.
        var provider = new LoopbackProvider("paced", new RequestRate(1, TimeSpan.FromMinutes(6), 1));
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ok = new RecordedAnswer(200, new Dictionary<string, string>(), "{}", "application/json");
        _server.Load([ok, ok with { HoldBeforeAnswer = _release.Task, Arrived = arrived }, ok]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackBatch(provider, idsPerCall: 2, concurrency: 1)], o =>
        {
            o.ProviderTimeout = TimeSpan.FromHours(1);
            o.BatchDeadline = TimeSpan.FromMinutes(10);
        }, _time);
        var firstChunk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var batch = client.BatchDeleteAsync(LoopbackRuntime.Account("paced"), ["1", "2", "3", "4", "5", "6"], progress: new Signal(firstChunk));
        await firstChunk.Task;
        _time.Advance(TimeSpan.FromMinutes(6));
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var result = await Clock.AdvanceUntilDoneAsync(_time, batch, TimeSpan.FromMinutes(1));

        Assert.Equal(200, result.StatusCode);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["1", "2"], body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["3", "4", "5", "6"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal(504, e.GetProperty("statusCode").GetInt32()));
        Assert.All(errors, e => Assert.Contains("deadline of 10 min (Runtime:BatchDeadline)", e.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task Waiting_for_the_rate_limit_is_not_part_of_the_attempt_timeout()
    {
        // Real time: a token every 2.5 s, an attempt may take 1 s; the second delete queues longer than an attempt lasts.
        var provider = new LoopbackProvider("paced", new RequestRate(1, TimeSpan.FromSeconds(2.5), 1));
        _server.Load(NoContent, 2);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(provider)], o =>
        {
            o.MaxAttempts = 1;
            o.ProviderTimeout = TimeSpan.FromSeconds(1);
        });
        await using var first = await client.DeleteAsync(LoopbackRuntime.Account("paced"), "1");

        await using var second = await client.DeleteAsync(LoopbackRuntime.Account("paced"), "2");

        Assert.Equal((200, 200), (first.StatusCode, second.StatusCode));
        Assert.Equal(2, _server.Received.Count);
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }

    /// <summary>Completes when the first provider call of a batch is answered.</summary>
    private sealed class Signal(TaskCompletionSource done) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => done.TrySetResult();
    }
}
