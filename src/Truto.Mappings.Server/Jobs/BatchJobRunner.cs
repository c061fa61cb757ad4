using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// The instance's job workers (<see cref="JobOptions.Workers"/> loops): each claims the oldest
/// runnable job (queued, running with an expired lease, or finished with its callback pending),
/// runs it (<see cref="BatchJobProcessor"/>) and looks again; idle, it waits for
/// <see cref="JobOptions.PollInterval"/> or a job created on this instance (<see cref="JobWakeup"/>).
/// On shutdown the job in hand is given back (its lease released), so another instance, or this
/// one restarted, resumes it at once. The same workers serve both stores: the queue is the job
/// table (see <see cref="IBatchJobStore"/>). Between jobs they also delete finished jobs past
/// <see cref="JobOptions.Retention"/> (<see cref="JobRetentionSweep"/>).
/// </summary>
public sealed partial class BatchJobRunner(IBatchJobStore jobs, BatchJobProcessor processor, JobWakeup wakeup, JobRetentionSweep sweep, IOptions<JobOptions> options, TimeProvider time, ILogger<BatchJobRunner> logger)
    : BackgroundService
{
    /// <summary>This instance's name in <c>locked_by</c> (a worker is this plus its loop number).</summary>
    public string InstanceId { get; } = Environment.MachineName + ":" + Environment.ProcessId + ":" + Guid.NewGuid().ToString("N")[..8];

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
        => Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(i => LoopAsync($"{InstanceId}/{i}", stoppingToken)));

    private async Task LoopAsync(string worker, CancellationToken stoppingToken)
    {
        // Off the start-up path: the host starts serving while the workers look for work.
        await Task.Yield();
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Between jobs, also when they come back to back; at most once a minute per instance.
                await sweep.SweepIfDueAsync(stoppingToken);
                var now = time.GetUtcNow();
                if (await jobs.ClaimJobAsync(worker, now, now + settings.LeaseDuration, stoppingToken) is { } job)
                {
                    await processor.RunAsync(job, worker, stoppingToken);
                    continue;
                }
                await wakeup.WaitAsync(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database hiccup must not end the worker: log, wait, try again.
                LogFailed(logger, worker, e.GetType().Name);
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Job worker {Worker} failed ({Error}); it tries again.")]
    private static partial void LogFailed(ILogger logger, string worker, string error);
}
