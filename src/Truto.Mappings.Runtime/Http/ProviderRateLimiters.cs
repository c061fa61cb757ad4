using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Keeps provider calls within the rate each provider's YAML declares, per account (a provider
/// counts calls per account or token), so a 10,000-id batch paces itself instead of tripping the
/// provider's limit. Calls wait in order for a token; cancelling the caller stops the wait.
/// </summary>
internal sealed class ProviderRateLimiters : IDisposable
{
    private readonly ConcurrentDictionary<(string Provider, string Account), TokenBucketRateLimiter> _limiters = new();

    /// <summary>Waits until one more call to the provider for this account fits its declared rate.</summary>
    public async ValueTask WaitAsync(string provider, string account, RequestRate? rate, CancellationToken cancellationToken)
    {
        if (rate is null)
        {
            return;
        }
        var limiter = _limiters.GetOrAdd((provider, account), _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = rate.Burst,
            TokensPerPeriod = rate.Requests,
            ReplenishmentPeriod = rate.Period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        }));
        // Leases of a token bucket hold nothing to give back: the token is spent.
        using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var limiter in _limiters.Values)
        {
            limiter.Dispose();
        }
    }
}
