using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Paces provider calls to the rate each provider's YAML declares, per provider and account. The
/// runtime's default, <see cref="ProviderRateLimiters"/>, counts in this process only; a host that
/// runs several instances registers one whose state they share (the server's PostgreSQL limiter
/// with <c>Store:Provider=postgresql</c>), so the declared rate holds for all of them together.
/// Registered with <c>TryAdd</c>: register yours before <c>AddTrutoMappings()</c>.
/// </summary>
public interface IProviderRateLimiter
{
    /// <summary>
    /// Returns when one more call to <paramref name="provider"/> for <paramref name="account"/> fits
    /// <paramref name="rate"/> (requests per period, with its burst). Cancelling ends the wait.
    /// </summary>
    /// <exception cref="RateLimitQueueFullException">The account's calls are booked too far ahead already; the call must not be sent now.</exception>
    /// <exception cref="RateLimiterUnavailableException">The shared limiter's state could not be reached; the call must not be sent unpaced.</exception>
    ValueTask WaitAsync(string provider, string account, RequestRate rate, CancellationToken cancellationToken);
}
