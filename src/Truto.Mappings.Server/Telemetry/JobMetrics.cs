using System.Diagnostics.Metrics;

namespace Truto.Mappings.Server.Telemetry;

/// <summary>
/// Batch-delete job state transitions (<c>truto.job.transitions</c>, labelled <c>truto.job.status</c>:
/// queued when accepted, running each time a worker claims it (again after a takeover), then its
/// final status), so a dashboard shows jobs accepted, claimed and finished per status as rates. How
/// many jobs are in each state now is the store's to say (the jobs resource): a gauge would query the
/// database at every scrape. Recorded only while listened to.
/// </summary>
public static class JobMetrics
{
    /// <summary>The meter of the server's own instruments.</summary>
    public const string MeterName = "Truto.Mappings.Server";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>(
        "truto.job.transitions", "{transition}", "Batch-delete jobs entering a status: queued, running (claimed by a worker, again after a takeover), succeeded, partially_failed, failed, cancelled.");

    /// <summary>A job entered <paramref name="status"/> (one of <see cref="Storage.BatchJobStatus"/>'s job statuses).</summary>
    public static void Entered(string status)
    {
        if (Transitions.Enabled)
        {
            Transitions.Add(1, new KeyValuePair<string, object?>("truto.job.status", status));
        }
    }
}
