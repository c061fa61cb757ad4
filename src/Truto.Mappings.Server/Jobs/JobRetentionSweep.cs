using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// Deletes finished jobs older than <see cref="JobOptions.Retention"/> (and their ids), so the job
/// tables do not grow forever. Run by the instance's workers between jobs, at most once per
/// <see cref="Interval"/> per instance whatever the number of workers; with several instances each
/// sweeps, which is harmless (one DELETE by an indexed time; a second finds nothing).
/// </summary>
public sealed partial class JobRetentionSweep(IBatchJobStore jobs, IOptions<JobOptions> options, TimeProvider time, ILogger<JobRetentionSweep> logger)
{
    /// <summary>The least time between two sweeps of one instance: retention is counted in days, a minute late is nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private long _nextTicks = long.MinValue;

    /// <summary>Sweeps when the last sweep of this instance is at least <see cref="Interval"/> ago; a failure is logged, never thrown (the next one tries again).</summary>
    public async Task SweepIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var next = Interlocked.Read(ref _nextTicks);
        // One worker wins the turn; the others go on with their jobs.
        if (now.UtcTicks < next || Interlocked.CompareExchange(ref _nextTicks, (now + Interval).UtcTicks, next) != next)
        {
            return;
        }
        try
        {
            var deleted = await jobs.DeleteFinishedJobsAsync(now - options.Value.Retention, cancellationToken);
            if (deleted > 0)
            {
                LogSwept(logger, deleted, options.Value.Retention);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted {Count} batch-delete jobs finished more than {Retention} ago (Jobs:Retention).")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Finished batch-delete jobs could not be swept ({Error}); the next sweep tries again.")]
    private static partial void LogFailed(ILogger logger, string error);
}
