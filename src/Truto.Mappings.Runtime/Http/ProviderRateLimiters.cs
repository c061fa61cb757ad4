using System.Threading.RateLimiting;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Keeps provider calls within the rate each provider's YAML declares, per account (a provider
/// counts calls per account or token), so a 10,000-id batch paces itself instead of tripping the
/// provider's limit. Calls wait in order for a token; cancelling the caller stops the wait.
/// One token bucket per provider and account, in a <see cref="PartitionedRateLimiter"/>: it drops
/// a bucket that has been idle and full for a while (nothing is lost: a new one starts full), so
/// accounts that called once do not stay in memory. The queue of waiting calls per account is
/// bounded; past it a call is refused at once rather than held without end. Counts in this process
/// only: the default <see cref="IProviderRateLimiter"/> for one instance.
/// </summary>
public sealed class ProviderRateLimiters : IProviderRateLimiter, IDisposable
{
    /// <summary>Calls that may wait for one account's bucket at once: room for the largest batch a request may carry.</summary>
    public const int DefaultQueueLimit = 10_000;

    private readonly PartitionedRateLimiter<(string Provider, string Account, RequestRate Rate)> _limiters;

    /// <summary>Creates the limiters; <paramref name="queueLimit"/> calls may wait per account.</summary>
    public ProviderRateLimiters(int queueLimit = DefaultQueueLimit)
    {
        _limiters = PartitionedRateLimiter.Create<(string Provider, string Account, RequestRate Rate), (string, string, RequestRate)>(
            key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = key.Rate.Burst,
                TokensPerPeriod = key.Rate.Requests,
                ReplenishmentPeriod = key.Rate.Period,
                QueueLimit = queueLimit,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Waits until one more call to the provider for this account fits its declared rate.</summary>
    /// <exception cref="RateLimitQueueFullException">Too many calls of this account are waiting already.</exception>
    /// <remarks>A <paramref name="rate"/> of null (the provider declares none) never waits.</remarks>
    public async ValueTask WaitAsync(string provider, string account, RequestRate? rate, CancellationToken cancellationToken)
    {
        if (rate is null)
        {
            return;
        }
        // Leases of a token bucket hold nothing to give back: the token is spent.
        using var lease = await _limiters.AcquireAsync((provider, account, rate), 1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw new RateLimitQueueFullException(provider);
        }
    }

    /// <summary>Stops the buckets' replenishment timers.</summary>
    public void Dispose() => _limiters.Dispose();
}
