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
