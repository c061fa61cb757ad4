using Truto.Mappings.Adapters;
using Truto.Mappings.Http;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>Provider calls keep to the rate a YAML declares, per account.</summary>
public sealed class ProviderRateLimitersTests
{
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);

    [Fact]
    public async Task Calls_beyond_the_burst_wait_for_the_next_token()
    {
        using var limiters = new ProviderRateLimiters();
        using var cancellation = new CancellationTokenSource();

        await limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None);
        var second = limiters.WaitAsync("hubspot", "acc-1", OnePerHour, cancellation.Token).AsTask();

        // The next token comes in an hour: the call is still waiting, and cancelling ends the wait.
        Assert.False(second.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
    }

    [Fact]
    public async Task A_call_beyond_the_queue_is_refused_at_once_not_held()
    {
        using var limiters = new ProviderRateLimiters(queueLimit: 1);
        using var cancellation = new CancellationTokenSource();

        await limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None);
        var queued = limiters.WaitAsync("hubspot", "acc-1", OnePerHour, cancellation.Token).AsTask();
        var refused = limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None).AsTask();

        var exception = await Assert.ThrowsAsync<RateLimitQueueFullException>(() => refused);
        Assert.Equal("hubspot", exception.Provider);
        Assert.False(queued.IsCompleted);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public async Task Another_accounts_queue_is_not_affected_by_a_full_one()
    {
        using var limiters = new ProviderRateLimiters(queueLimit: 1);
        using var cancellation = new CancellationTokenSource();
        await limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None);
        var queued = limiters.WaitAsync("hubspot", "acc-1", OnePerHour, cancellation.Token).AsTask();

        var other = limiters.WaitAsync("hubspot", "acc-2", OnePerHour, CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public async Task Each_account_has_its_own_budget()
    {
        using var limiters = new ProviderRateLimiters();

        await limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None);
        var other = limiters.WaitAsync("hubspot", "acc-2", OnePerHour, CancellationToken.None);

        Assert.True(other.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_provider_without_a_declared_rate_is_never_held()
    {
        using var limiters = new ProviderRateLimiters();

        for (var i = 0; i < 1000; i++)
        {
            var call = limiters.WaitAsync("salesforce", "acc-1", null, CancellationToken.None);
            Assert.True(call.IsCompletedSuccessfully);
            await call;
        }
    }
}
