namespace Truto.Mappings.Http;

/// <summary>
/// A shared rate limiter could not book the call (its database is unreachable or failed). The call
/// is answered 503 without being sent: sending it unpaced could break the provider's limit for every
/// instance. The message never carries the connection string or other secrets.
/// </summary>
public sealed class RateLimiterUnavailableException : Exception
{
    /// <summary>For the integration <paramref name="provider"/>; <paramref name="innerException"/> is the store's failure.</summary>
    public RateLimiterUnavailableException(string provider, Exception innerException)
        : base($"The shared rate limit for {provider} could not be checked ({innerException?.GetType().Name}), so the call was not sent.", innerException)
        => Provider = provider;

    /// <summary>The integration name.</summary>
    public string Provider { get; }
}
