namespace Truto.Mappings.Http;

/// <summary>
/// An account has more calls waiting for its provider's declared rate than the limiter holds (the
/// in-memory queue is full, or the shared limiter would book the call too far into the future).
/// The call is answered 429 without being sent.
/// </summary>
public sealed class RateLimitQueueFullException : Exception
{
    /// <summary>For the integration <paramref name="provider"/>.</summary>
    public RateLimitQueueFullException(string provider)
        : base($"Too many calls to {provider} for this account are already waiting for its rate limit.") => Provider = provider;

    /// <summary>The integration name.</summary>
    public string Provider { get; }
}
