using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// Runs one claimed job: slice by slice (<see cref="JobOptions.SliceSize"/> pending ids marked in
/// flight, sent through the runtime's <see cref="UnifiedContactsClient.BatchDeleteAsync"/> — so
/// rate limits, chunking, the breaker and OAuth refresh apply — and each provider call's outcomes
/// written as that call answers),
/// until no id is pending; then the final status and the callback. A heartbeat renews the lease
/// meanwhile. The account is read again before each slice: deleted or needing re-authorisation,
/// the ids left fail with the answer the synchronous call would give, and the job finishes. A job
/// whose runs keep failing (our code or the store throws, or its workers die) is given up after
/// <see cref="JobOptions.MaxAttempts"/>: its unanswered ids fail with a 500 saying so.
/// </summary>
public sealed partial class BatchJobProcessor(
    IBatchJobStore jobs,
    ITrutoStore store,
    UnifiedContactsClient client,
    JobCallbackSender callbacks,
    IOptions<JobOptions> options,
    TimeProvider time,
    ILogger<BatchJobProcessor> logger)
{
    /// <summary>The batch method jobs run.</summary>
    public const string Method = "batch_delete";

    /// <summary>
    /// Runs <paramref name="job"/>, held by <paramref name="worker"/>, until it is done, its lease is
    /// lost, or <paramref name="stopping"/> (shutdown) cancels the slice in flight. The lease is
    /// given back at the end either way: unanswered ids are pending again for the next worker.
    /// </summary>
    public async Task RunAsync(BatchJob job, string worker, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(job);
        var settings = options.Value;
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var lease = new LeaseState();
        var heartbeat = HeartbeatAsync(job.Id, worker, settings.LeaseDuration, lease, heartbeatStop.Token);
        try
        {
            if (!job.IsFinished)
            {
                if (job.FailedAttempts >= settings.MaxAttempts)
                {
                    // Its workers kept dying with it (lease take-overs): running it again would too.
                    await GiveUpAsync(job, job.FailedAttempts, "its worker stopped without finishing it");
                }
                else
                {
                    Telemetry.JobMetrics.Entered(BatchJobStatus.Running);
                    await RunSlicesAsync(job, worker, settings.SliceSize, lease, stopping);
                }
            }
            if (!lease.Lost && await jobs.FindJobAsync(job.Id, CancellationToken.None) is { IsFinished: true, CallbackStatus: BatchJobStatus.CallbackPending } finished)
            {
                await callbacks.DeliverAsync(finished, await jobs.ListJobItemsAsync(job.Id, CancellationToken.None), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            LogStopped(logger, job.Id);
        }
        catch (Exception e)
        {
            // Our code or the store threw (a provider's error is an answer and never lands here). The
            // job is retried by the next claim, after the runner's pause, until Jobs:MaxAttempts.
            // Only the exception's type is logged: its message may carry a URL or a value of the account's.
            var attempts = await CountFailedAttemptAsync(job.Id);
            LogAttemptFailed(logger, job.Id, attempts, settings.MaxAttempts, e.GetType().Name);
            if (attempts < settings.MaxAttempts)
            {
                throw;
            }
            await GiveUpAsync(job, attempts, e.GetType().Name);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            // Not the stopping token: a shutting-down instance must still hand the job on at once.
            await jobs.ReleaseJobAsync(job.Id, worker, time.GetUtcNow(), CancellationToken.None);
        }
    }

    private async Task RunSlicesAsync(BatchJob job, string worker, int sliceSize, LeaseState lease, CancellationToken stopping)
    {
        var (query, queryError) = TrutoQuery.Parse(new QueryCollection(QueryHelpers.ParseQuery(job.Query)));
        var remoteData = job.RemoteData is { } remote ? JsonSerializer.Deserialize<JsonElement>(remote) : (JsonElement?)null;
        while (!lease.Lost)
        {
            stopping.ThrowIfCancellationRequested();
            var stored = await store.FindAccountAsync(job.AccountId, stopping);
            var accountError = queryError
                ?? (stored is null ? VisibleAccounts.NotFound(job.AccountId)
                : stored.Status == StoredAccount.NeedsReauthStatus ? AccountFilter.NeedsReauth(stored)
                : null);
            var items = await jobs.TakePendingItemsAsync(job.Id, worker, accountError is null ? sliceSize : int.MaxValue, time.GetUtcNow(), stopping);
            if (items.Count == 0)
            {
                break;
            }
            IReadOnlyList<BatchJobItem> outcomes;
            if (accountError is not null)
            {
                outcomes = BatchJobSlice.Fail(items, accountError);
            }
            else
            {
                var account = ParsedAccounts.Of(stored!);
                var sliceKey = Guid.NewGuid().ToString("N");
                // Each provider call's outcomes are written as it answers; the slice's write below
                // then only adds what no call reported (an id that has an outcome keeps it).
                var recorder = new JobCallRecorder(jobs, job.Id, items, sliceKey, time, logger);
                try
                {
                    await using var answer = await client.BatchDeleteAsync(account, [.. items.Select(i => i.ContactId)], remoteData, query!.Options, recorder, stopping);
                    outcomes = BatchJobSlice.Outcomes(items, answer, sliceKey);
                }
                finally
                {
                    // Also when shutdown cancels the slice: the calls that did answer are written.
                    await recorder.CompleteAsync();
                }
            }
            // Not the stopping token: the provider has answered, and an answered id must never be sent again.
            await jobs.RecordOutcomesAsync(job.Id, outcomes, time.GetUtcNow(), CancellationToken.None);
        }
        if (!lease.Lost && await jobs.FinishJobIfDoneAsync(job.Id, time.GetUtcNow(), CancellationToken.None) is { } status)
        {
            LogFinished(logger, job.Id, status);
            Telemetry.JobMetrics.Entered(status);
        }
    }

    /// <summary>Counts the failed run; 0 when even that fails (the store is down: nothing can be given up either, the job waits for it).</summary>
    private async Task<int> CountFailedAttemptAsync(string jobId)
    {
        try
        {
            return await jobs.CountFailedAttemptAsync(jobId, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotCounted(logger, jobId, e.GetType().Name);
            return 0;
        }
    }

    /// <summary>
    /// Ends a job that failed <paramref name="attempts"/> times: every id without an outcome fails
    /// with a 500 saying why (a pending id was not sent; an id in flight may have been, its answer
    /// was not recorded), the job finishes with the status its outcomes give (<c>failed</c>, or
    /// <c>partially_failed</c> when earlier slices deleted ids) and its callback, if any, is owed as usual.
    /// </summary>
    private async Task GiveUpAsync(BatchJob job, int attempts, string reason)
    {
        if (job.IsFinished)
        {
            // Claimed only for its callback, whose delivery kept throwing: the callback is given up, not the job.
            LogGaveUp(logger, job.Id, attempts, reason, 0);
            await jobs.SetCallbackStateAsync(job.Id, BatchJobStatus.CallbackFailed, job.CallbackAttempts, reason, time.GetUtcNow(), CancellationToken.None);
            return;
        }
        var prefix = $"The batch-delete job {job.Id} was given up after {attempts} failed attempts (Jobs:MaxAttempts; last: {reason})";
        var unanswered = (await jobs.ListJobItemsAsync(job.Id, CancellationToken.None))
            .Where(i => i.State is BatchJobStatus.ItemPending or BatchJobStatus.ItemInFlight).ToList();
        IReadOnlyList<BatchJobItem> outcomes =
        [
            .. BatchJobSlice.Fail([.. unanswered.Where(i => i.State == BatchJobStatus.ItemPending)],
                new TrutoError(500, prefix + "; this id was not sent.")),
            .. BatchJobSlice.Fail([.. unanswered.Where(i => i.State == BatchJobStatus.ItemInFlight)],
                new TrutoError(500, prefix + "; this id may have been sent, but its answer was not recorded, so whether it was deleted is unknown.")),
        ];
        // Logged before the job shows it (as the callback's give-up is), without any id or account value.
        LogGaveUp(logger, job.Id, attempts, reason, outcomes.Count);
        await jobs.RecordOutcomesAsync(job.Id, outcomes, time.GetUtcNow(), CancellationToken.None);
        if (await jobs.FinishJobIfDoneAsync(job.Id, time.GetUtcNow(), CancellationToken.None) is { } status)
        {
            Telemetry.JobMetrics.Entered(status);
        }
    }

    /// <summary>Renews the lease every third of its length; marks it lost when another worker has taken the job.</summary>
    private async Task HeartbeatAsync(string jobId, string worker, TimeSpan leaseDuration, LeaseState lease, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(leaseDuration / 3, time, cancellationToken);
                var now = time.GetUtcNow();
                if (!await jobs.RenewLeaseAsync(jobId, worker, now, now + leaseDuration, cancellationToken))
                {
                    lease.Lost = true;
                    LogLeaseLost(logger, jobId);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The job is done or the instance stops.
        }
        catch (Exception e)
        {
            // The database is unreachable: the lease may run out, and another worker then takes over.
            LogHeartbeatFailed(logger, jobId, e.GetType().Name);
        }
    }

    /// <summary>Whether the heartbeat found the job taken over (written by the heartbeat, read by the slices).</summary>
    private sealed class LeaseState
    {
        private volatile bool _lost;

        public bool Lost
        {
            get => _lost;
            set => _lost = value;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "batch-delete job {JobId} finished: {Status}.")]
    private static partial void LogFinished(ILogger logger, string jobId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch-delete job {JobId} failed (attempt {Attempts} of {MaxAttempts}: {Error}).")]
    private static partial void LogAttemptFailed(ILogger logger, string jobId, int attempts, int maxAttempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "batch-delete job {JobId} was given up after {Attempts} failed attempts ({Error}); its {Unanswered} unanswered ids are reported as failed (500).")]
    private static partial void LogGaveUp(ILogger logger, string jobId, int attempts, string error, int unanswered);

    [LoggerMessage(Level = LogLevel.Error, Message = "The failed attempt of batch-delete job {JobId} could not be counted ({Error}); it is retried.")]
    private static partial void LogNotCounted(ILogger logger, string jobId, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "batch-delete job {JobId} handed back at shutdown; ids not answered are pending for the next worker.")]
    private static partial void LogStopped(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "batch-delete job {JobId} was taken over by another worker (its lease ran out); this worker stops after the slice in flight.")]
    private static partial void LogLeaseLost(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The lease of batch-delete job {JobId} could not be renewed ({Error}); another worker takes it over if it runs out.")]
    private static partial void LogHeartbeatFailed(ILogger logger, string jobId, string error);
}
