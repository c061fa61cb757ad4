using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Truto.Mappings.Telemetry;

/// <summary>
/// The runtime's instruments. Each record method returns at once while its instrument has no
/// listener, so an application that exports nothing pays one field read per call; when listened
/// to, tags go in a <see cref="TagList"/> (no allocation for up to eight) with pre-boxed statuses.
/// </summary>
/// <remarks>
/// Static, like <see cref="HttpClient"/>'s own instruments: the values describe calls, not a
/// container, and the record sites (transport, executors, token refresher) stay one line each.
/// </remarks>
internal static class RuntimeMetrics
{
    private static readonly Meter Meter = new(TrutoTelemetry.MeterName, typeof(RuntimeMetrics).Assembly.GetName().Version?.ToString());

    /// <summary>Bucket bounds in seconds for calls that take from a millisecond to a minute (the default call deadline).</summary>
    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private static readonly Histogram<double> UnifiedDuration = Meter.CreateHistogram(
        "truto.unified.request.duration", "s", "Duration of unified calls (delete, batch-delete), from the call to its answer (a stream's first bytes).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<double> ProviderDuration = Meter.CreateHistogram(
        "truto.provider.call.duration", "s", "Duration of provider calls, every attempt, retry wait and rate-limit wait included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    private static readonly Histogram<int> ProviderAttempts = Meter.CreateHistogram(
        "truto.provider.call.attempts", "{attempt}", "Attempts each provider call took (1 when not retried).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 3, 4, 5, 10] });

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "truto.provider.call.retries", "{retry}", "Provider call attempts sent again, by what the failed attempt was.");

    private static readonly Histogram<double> RateLimitWait = Meter.CreateHistogram(
        "truto.provider.rate_limit.wait.duration", "s", "Time provider calls waited for the rate their YAML declares (per account).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });

    private static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>(
        "truto.oauth.token.refreshes", "{refresh}", "OAuth token refreshes by outcome: issued (new tokens, or those another instance had just stored), refused (the account needs re-authorisation), failed.");

    private static readonly Counter<long> BatchIds = Meter.CreateCounter<long>(
        "truto.batch.ids", "{id}", "Ids of batch calls answered, by outcome (deleted, failed), as each provider call answers.");

    /// <summary>True while unified calls are listened to (the caller then reads the clock).</summary>
    public static bool UnifiedEnabled => UnifiedDuration.Enabled;

    /// <summary>True while provider calls are measured.</summary>
    public static bool ProviderCallEnabled => ProviderDuration.Enabled || ProviderAttempts.Enabled;

    /// <summary>One unified call answered with <paramref name="status"/> after <paramref name="elapsed"/>.</summary>
    public static void Unified(string integration, string method, int status, TimeSpan elapsed)
    {
        if (!UnifiedDuration.Enabled)
        {
            return;
        }
        var tags = new TagList
        {
            { TelemetryTags.Integration, integration },
            { TelemetryTags.Method, method },
            { TelemetryTags.StatusCode, TelemetryTags.Status(status) },
        };
        UnifiedDuration.Record(elapsed.TotalSeconds, in tags);
    }

    /// <summary>
    /// One provider call done: its final status (the provider's, or the runtime's 429/502/503/504
    /// when no answer came, then with <paramref name="errorType"/>), attempts and duration.
    /// </summary>
    public static void ProviderCall(string integration, int? status, string? errorType, int attempts, TimeSpan elapsed)
    {
        if (ProviderDuration.Enabled)
        {
            var tags = new TagList { { TelemetryTags.Integration, integration } };
            if (status is { } code)
            {
                tags.Add(TelemetryTags.StatusCode, TelemetryTags.Status(code));
            }
            if (errorType is not null)
            {
                tags.Add(TelemetryTags.ErrorType, errorType);
            }
            ProviderDuration.Record(elapsed.TotalSeconds, in tags);
        }
        if (ProviderAttempts.Enabled)
        {
            ProviderAttempts.Record(attempts, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration));
        }
    }

    /// <summary>An attempt is sent again; <paramref name="reason"/> is its status or the kind of failure.</summary>
    public static void Retry(string integration, string reason)
    {
        if (Retries.Enabled)
        {
            Retries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration), new KeyValuePair<string, object?>(TelemetryTags.RetryReason, reason));
        }
    }

    /// <summary>A call waited <paramref name="waited"/> for its account's declared rate.</summary>
    public static void RateLimitWaited(string integration, TimeSpan waited)
    {
        if (RateLimitWait.Enabled)
        {
            RateLimitWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration));
        }
    }

    /// <summary>One token request (or reuse of another instance's) ended with <paramref name="outcome"/>.</summary>
    public static void TokenRefresh(string integration, string outcome)
    {
        if (TokenRefreshes.Enabled)
        {
            TokenRefreshes.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration), new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        }
    }

    /// <summary>One provider call of a batch answered <paramref name="deleted"/> ids deleted and <paramref name="failed"/> failed.</summary>
    public static void BatchAnswered(string integration, int deleted, int failed)
    {
        if (!BatchIds.Enabled)
        {
            return;
        }
        if (deleted > 0)
        {
            BatchIds.Add(deleted, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration), new KeyValuePair<string, object?>(TelemetryTags.Outcome, "deleted"));
        }
        if (failed > 0)
        {
            BatchIds.Add(failed, new KeyValuePair<string, object?>(TelemetryTags.Integration, integration), new KeyValuePair<string, object?>(TelemetryTags.Outcome, "failed"));
        }
    }

    /// <summary>True while batch ids are listened to (the caller then counts its outcomes).</summary>
    public static bool BatchEnabled => BatchIds.Enabled;
}
