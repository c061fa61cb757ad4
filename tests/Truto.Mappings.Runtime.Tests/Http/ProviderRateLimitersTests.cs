using Microsoft.Extensions.Time.Testing;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// Provider calls keep to every rate window a YAML declares, per account or per app. A fake clock
/// decides every wait: a call "waits" while its task is not complete, and goes once the clock is
/// moved to its moment.
/// </summary>
public sealed class ProviderRateLimitersTests
{
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);
    private static readonly TimeSpan NoBound = Timeout.InfiniteTimeSpan;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Calls_beyond_the_burst_wait_for_the_next_token()
    {
        var limiters = new ProviderRateLimiters(_time);
        using var cancellation = new CancellationTokenSource();

        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None);
        var second = limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, cancellation.Token).AsTask();

        // The next token comes in an hour: the call is still waiting, and cancelling ends the wait.
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.False(second.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task A_waiting_call_goes_when_its_window_allows_it()
    {
        var limiters = new ProviderRateLimiters(_time);
        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None);
        var second = limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromHours(1));

        await second.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_call_goes_only_when_every_window_allows_it()
    {
        // Keap's shape: 2 a second, 3 a minute. The second window holds the fourth call although the first allows it.
        RequestRate[] windows = [new(2, TimeSpan.FromSeconds(1), 2), new(3, TimeSpan.FromMinutes(1), 3)];
        var limiters = new ProviderRateLimiters(_time);

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            delays.Add(DelayOf(limiters, "acc-1", windows));
        }

        // Calls 1-2 at once (the first window's burst); 3 after 0.5 s (2 a second); then the minute's
        // burst of 3 is spent and it frees one call every 20 s: 4 at 20 s, 5 at 40 s.
        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], delays);
    }

    [Fact]
    public async Task A_window_that_refuses_a_call_spends_nothing_of_the_others()
    {
        RequestRate perSecond = new(1, TimeSpan.FromSeconds(1), 1);
        RequestRate perDay = new(1, TimeSpan.FromDays(1), 1);
        var limiters = new ProviderRateLimiters(_time);
        await limiters.WaitAsync("keap", "acc-1", [perSecond, perDay], NoBound, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Refused by the day window: nothing booked, so the second window is as free as before.
        await Assert.ThrowsAsync<RateLimitWindowExhaustedException>(
            () => limiters.WaitAsync("keap", "acc-1", [perSecond, perDay], TimeSpan.FromMinutes(1), CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.Zero, DelayOf(limiters, "acc-1", [perSecond]));
    }

    [Fact]
    public async Task A_spent_day_quota_refuses_at_once_naming_the_window_and_when_it_frees_a_call()
    {
        RequestRate perDay = new(2, TimeSpan.FromDays(1), 2);
        var limiters = new ProviderRateLimiters(_time);
        await limiters.WaitAsync("insightly", "acc-1", [perDay], NoBound, CancellationToken.None);
        await limiters.WaitAsync("insightly", "acc-1", [perDay], NoBound, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));

        var refused = await Assert.ThrowsAsync<RateLimitWindowExhaustedException>(
            () => limiters.WaitAsync("insightly", "acc-1", [perDay], TimeSpan.FromMinutes(1), CancellationToken.None).AsTask());

        Assert.Equal("insightly", refused.Provider);
        Assert.Equal(perDay, refused.Window);
        // Two calls a day are spaced 12 h; the burst of two was spent at 0, so the next fits at 12 h, 10 h from now.
        Assert.Equal(TimeSpan.FromHours(10), refused.RetryAfter);
        Assert.Equal("insightly allows 2 calls per 24 h per account; the next call fits in 10 h.", refused.Message);
    }

    [Fact]
    public async Task A_wait_within_the_longest_allowed_wait_is_booked_not_refused()
    {
        var limiters = new ProviderRateLimiters(_time);
        RequestRate perMinute = new(1, TimeSpan.FromMinutes(1), 1);
        await limiters.WaitAsync("copper", "acc-1", [perMinute], NoBound, CancellationToken.None);

        var second = limiters.WaitAsync("copper", "acc-1", [perMinute], TimeSpan.FromMinutes(1), CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMinutes(1));

        await second.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void An_app_wide_window_is_shared_by_every_account_of_the_integration_and_an_account_window_is_not()
    {
        RequestRate perAccount = new(1, TimeSpan.FromSeconds(1), 1);
        RequestRate perApp = new(2, TimeSpan.FromMinutes(1), 2) { Scope = RateLimitScope.App };
        var limiters = new ProviderRateLimiters(_time);

        var first = DelayOf(limiters, "acc-1", [perAccount, perApp]);
        var second = DelayOf(limiters, "acc-2", [perAccount, perApp]);
        var third = DelayOf(limiters, "acc-3", [perAccount, perApp]);
        var otherIntegration = DelayOf(limiters, "acc-3", [perAccount, perApp], provider: "other");

        // Each account's own window is fresh; the app's two calls a minute are spent by acc-1 and acc-2.
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30), TimeSpan.Zero), (first, second, third, otherIntegration));
    }

    [Fact]
    public async Task A_call_beyond_the_queue_is_refused_at_once_not_held()
    {
        var limiters = new ProviderRateLimiters(_time, queueLimit: 1);
        using var cancellation = new CancellationTokenSource();

        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None);
        var queued = limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, cancellation.Token).AsTask();
        var refused = limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<RateLimitQueueFullException>(() => refused);
        Assert.Equal("hubspot", exception.Provider);
        Assert.False(queued.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public async Task Another_accounts_queue_is_not_affected_by_a_full_one()
    {
        var limiters = new ProviderRateLimiters(_time, queueLimit: 1);
        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None);
        Assert.Equal(TimeSpan.FromHours(1), DelayOf(limiters, "acc-1", [OnePerHour], provider: "hubspot"));
        Assert.Throws<RateLimitQueueFullException>(() => DelayOf(limiters, "acc-1", [OnePerHour], provider: "hubspot"));

        Assert.Equal(TimeSpan.Zero, DelayOf(limiters, "acc-2", [OnePerHour], provider: "hubspot"));
    }

    [Fact]
    public async Task Windows_whose_time_passed_are_dropped_and_behave_as_new()
    {
        var limiters = new ProviderRateLimiters(_time);
        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], NoBound, CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(2));

        // This booking also sweeps: acc-1's window passed an hour ago and is dropped; acc-2's is kept.
        Assert.Equal(TimeSpan.Zero, DelayOf(limiters, "acc-2", [OnePerHour], provider: "hubspot"));
        Assert.Equal(1, limiters.TrackedWindows);

        Assert.Equal(TimeSpan.Zero, DelayOf(limiters, "acc-1", [OnePerHour], provider: "hubspot"));
    }

    [Fact]
    public async Task A_provider_without_a_declared_rate_is_never_held()
    {
        var limiters = new ProviderRateLimiters(_time);

        for (var i = 0; i < 1000; i++)
        {
            var call = limiters.WaitAsync("salesforce", "acc-1", [], TimeSpan.Zero, CancellationToken.None);
            Assert.True(call.IsCompletedSuccessfully);
            await call;
        }
    }

    /// <summary>How long a call booked now waits (the booking itself, without waiting it out).</summary>
    private static TimeSpan DelayOf(ProviderRateLimiters limiters, string account, RequestRate[] windows, string provider = "keap")
        => limiters.Book(provider, account, windows, NoBound);
}
