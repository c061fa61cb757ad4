using System.Diagnostics;
using Truto.Mappings.Http;

namespace Truto.Mappings.Telemetry;

/// <summary>
/// The span and the measurements of one provider call, every attempt and wait included. Created
/// only while someone listens (<see cref="Start"/> answers null otherwise, and callers use <c>?.</c>),
/// so an application that exports nothing allocates nothing for it.
/// </summary>
/// <remarks>
/// The span carries the integration, the HTTP method, the final status and the attempts: not the
/// URL, whose path holds contact ids and whose host can name the customer.
/// </remarks>
internal sealed class ProviderCallScope : IDisposable
{
    /// <summary>The span's name: one per provider call, whatever the provider.</summary>
    public const string SpanName = "truto.provider.call";

    private readonly Activity? _activity;
    private readonly string _integration;
    private readonly TimeProvider _time;
    private readonly long _started;
    private int _attempts;
    private bool _ended;

    private ProviderCallScope(Activity? activity, string integration, TimeProvider time)
    {
        _activity = activity;
        _integration = integration;
        _time = time;
        _started = time.GetTimestamp();
    }

    /// <summary>Starts the call's span and clock; null when neither spans nor provider-call metrics are listened to.</summary>
    public static ProviderCallScope? Start(ProviderCall call, TimeProvider time)
    {
        var activity = TrutoTelemetry.Source.StartActivity(SpanName, ActivityKind.Client);
        if (activity is null && !RuntimeMetrics.ProviderCallEnabled)
        {
            return null;
        }
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.Integration, call.Provider);
            activity.SetTag(TelemetryTags.RequestMethod, call.Request.Method);
        }
        return new ProviderCallScope(activity, call.Provider, time);
    }

    /// <summary>One more attempt goes out (attempts of one call run one after another).</summary>
    public void Attempt() => _attempts++;

    /// <summary>The call ended with <paramref name="response"/>: an answer, or the runtime's failure.</summary>
    public void End(ProviderResponse response)
    {
        var errorType = response.TransportError is null ? null : FailureType(response.Status);
        Finish(response.Status, errorType);
    }

    /// <summary>
    /// The runtime's failures without an answer, by the status it gives them: 504 the attempt timeout
    /// or the call's deadline, 503 an open circuit breaker or an unreachable shared rate limiter, 429
    /// a full rate-limit queue, 502 the provider unreachable, refused by the egress policy or answering too much.
    /// </summary>
    internal static string FailureType(int status) => status switch
    {
        504 => "timeout",
        503 => "unavailable",
        429 => "rate_limit_queue_full",
        _ => "unreachable",
    };

    private void Finish(int? status, string? errorType)
    {
        _ended = true;
        RuntimeMetrics.ProviderCall(_integration, status, errorType, _attempts, _time.GetElapsedTime(_started));
        if (_activity is { IsAllDataRequested: true } activity)
        {
            if (status is { } code)
            {
                activity.SetTag(TelemetryTags.StatusCode, TelemetryTags.Status(code));
            }
            activity.SetTag(TelemetryTags.Attempts, _attempts);
            if (errorType is not null || status >= 500)
            {
                activity.SetTag(TelemetryTags.ErrorType, errorType ?? TelemetryTags.StatusText(status!.Value));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }

    /// <summary>Ends the span; a call its caller cancelled is measured as <c>cancelled</c>, without a status.</summary>
    public void Dispose()
    {
        if (!_ended)
        {
            Finish(null, "cancelled");
        }
        _activity?.Dispose();
    }
}
