using System.Globalization;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;

namespace Truto.Mappings.Formats;

/// <summary>
/// The rate-limit headers of a unified answer from the provider answers behind it: the
/// <c>ratelimit-*</c> trio of the answer with the fewest remaining calls, and the longest
/// <c>Retry-After</c> seen (the provider's, or the runtime's own for an open circuit breaker or a rate-limit window that cannot be waited out).
/// </summary>
internal static class RateLimitHeaders
{
    public static List<KeyValuePair<string, string>> Aggregate(ProviderAdapter adapter, IEnumerable<ProviderResponse> responses, DateTimeOffset now)
    {
        RateLimitInfo? tightest = null;
        TimeSpan? retryAfter = null;
        foreach (var response in responses)
        {
            if (response.TransportError is not null)
            {
                // No provider headers; an open circuit breaker or a spent rate-limit window still says when to come back.
                if (response.FailureRetryAfter is { } own && (retryAfter is null || own > retryAfter))
                {
                    retryAfter = own;
                }
                continue;
            }
            var info = adapter.ReadRateLimit(response.Header, now);
            if (!info.IsEmpty && (tightest is null || (info.Remaining ?? long.MaxValue) < (tightest.Remaining ?? long.MaxValue)))
            {
                tightest = info;
            }
            var wait = response.RetryAfter?.Delta ?? (response.RetryAfter?.Date is { } date ? date - now : null);
            if (wait is { } w && (retryAfter is null || w > retryAfter))
            {
                retryAfter = w < TimeSpan.Zero ? TimeSpan.Zero : w;
            }
        }
        var headers = new List<KeyValuePair<string, string>>();
        if (tightest?.Limit is { } limit)
        {
            headers.Add(new("ratelimit-limit", limit.ToString(CultureInfo.InvariantCulture)));
        }
        if (tightest?.Remaining is { } remaining)
        {
            headers.Add(new("ratelimit-remaining", remaining.ToString(CultureInfo.InvariantCulture)));
        }
        if (tightest?.ResetSeconds is { } reset)
        {
            headers.Add(new("ratelimit-reset", reset.ToString(CultureInfo.InvariantCulture)));
        }
        if (retryAfter is { } after)
        {
            headers.Add(new("Retry-After", ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture)));
        }
        return headers;
    }
}
