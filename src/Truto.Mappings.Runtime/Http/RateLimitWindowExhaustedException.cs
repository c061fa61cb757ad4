using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// A declared window (a day's quota spent, say) lets the call go only after longer than the call may
/// wait. The call is answered 429 at once with <see cref="RetryAfter"/>, without being sent and
/// without booking anything, rather than held until its deadline passes.
/// </summary>
public sealed class RateLimitWindowExhaustedException : Exception
{
    /// <summary>For the integration <paramref name="provider"/>: <paramref name="window"/> allows the next call in <paramref name="retryAfter"/>.</summary>
    public RateLimitWindowExhaustedException(string provider, RequestRate window, TimeSpan retryAfter)
        : base($"{provider} allows {window}; the next call fits in {Deadline.Format(retryAfter)}.")
    {
        Provider = provider;
        Window = window;
        RetryAfter = retryAfter;
    }

    /// <summary>The integration name.</summary>
    public string Provider { get; }

    /// <summary>The window that holds the call back longest.</summary>
    public RequestRate Window { get; }

    /// <summary>How long until that window lets one call through.</summary>
    public TimeSpan RetryAfter { get; }
}
