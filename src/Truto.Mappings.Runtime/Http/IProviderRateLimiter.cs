using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Paces provider calls to the rate windows each provider's YAML declares, per provider and account
/// (or per provider, for a window counted across the integration's accounts). The runtime's default,
/// <see cref="ProviderRateLimiters"/>, counts in this process only; a host that runs several instances
/// registers one whose state they share (the server's PostgreSQL limiter with
/// <c>Store:Provider=postgresql</c>), so the declared rates hold for all of them together.
/// Registered with <c>TryAdd</c>: register yours before <c>AddTrutoMappings()</c>.
/// </summary>
public interface IProviderRateLimiter
{
    /// <summary>
    /// Returns when one more call to <paramref name="provider"/> for <paramref name="account"/> fits
    /// every one of <paramref name="windows"/> (requests per period, with its burst) at the same time.
    /// A call that could go only after <paramref name="maxWait"/> (<see cref="Timeout.InfiniteTimeSpan"/>:
    /// no bound) is refused at once, booking nothing. Cancelling ends the wait.
    /// </summary>
    /// <exception cref="RateLimitWindowExhaustedException">A window allows the call only after <paramref name="maxWait"/>; the call must not be sent now.</exception>
    /// <exception cref="RateLimitQueueFullException">The account's calls are booked too far ahead already; the call must not be sent now.</exception>
    /// <exception cref="RateLimiterUnavailableException">The shared limiter's state could not be reached; the call must not be sent unpaced.</exception>
    ValueTask WaitAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken);
}
