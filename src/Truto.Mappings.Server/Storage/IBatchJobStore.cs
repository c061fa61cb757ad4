namespace Truto.Mappings.Server.Storage;

/// <summary>
/// Durable batch-delete jobs: the job table and the per-id table, and the work queue over them.
/// Workers take a job with a lease (<see cref="ClaimJobAsync"/>: PostgreSQL's
/// <c>FOR UPDATE SKIP LOCKED</c>, SQLite's write lock) that they renew while they work; a job whose
/// lease ran out (its worker died) is taken over by the next claim, and its in-flight ids are
/// pending again. An id that has an outcome is never handed out again.
/// </summary>
public interface IBatchJobStore
{
    /// <summary>Stores a queued job and its ids (in order; already distinct) in one transaction.</summary>
    Task CreateJobAsync(BatchJob job, IReadOnlyList<string> ids, CancellationToken cancellationToken);

    /// <summary>The job with its counts; null when unknown.</summary>
    Task<BatchJob?> FindJobAsync(string id, CancellationToken cancellationToken);

    /// <summary>Every id of the job with its state and outcome, in the order they were given.</summary>
    Task<IReadOnlyList<BatchJobItem>> ListJobItemsAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>
    /// Takes the oldest job that has work (queued or running, or finished with its callback pending)
    /// and that nobody holds or whose lease ended before <paramref name="now"/>: it is now held by
    /// <paramref name="worker"/> until <paramref name="leaseUntil"/>, running, and its in-flight ids
    /// (a previous worker's, unanswered) are pending again; taking over a lease that ran out counts a
    /// failed attempt (<see cref="BatchJob.FailedAttempts"/>), giving one back does not. Null when there is none. Concurrent
    /// claims never take the same job.
    /// </summary>
    Task<BatchJob?> ClaimJobAsync(string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>Extends the worker's lease (the heartbeat); false when the job is no longer the worker's.</summary>
    Task<bool> RenewLeaseAsync(string jobId, string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken);

    /// <summary>
    /// Marks up to <paramref name="count"/> pending ids in flight, in order, and returns them; none
    /// when the job is not held by <paramref name="worker"/> (its lease was taken over).
    /// </summary>
    Task<IReadOnlyList<BatchJobItem>> TakePendingItemsAsync(string jobId, string worker, int count, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the outcomes (<see cref="BatchJobItem.Position"/>, <see cref="BatchJobItem.State"/>
    /// deleted or failed, outcome, chunk) of ids that have none yet; an id that has one keeps it.
    /// </summary>
    Task RecordOutcomesAsync(string jobId, IReadOnlyList<BatchJobItem> outcomes, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Cancels an unfinished job: its pending ids become cancelled (in-flight ones finish); false
    /// when the job is finished (or unknown) and nothing changed.
    /// </summary>
    Task<bool> CancelJobAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Gives the job its final status when every id has an outcome (its callback, if any, pending)
    /// and returns that status; null when ids are still pending or in flight or it was finished before.
    /// </summary>
    Task<string?> FinishJobIfDoneAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records the callback's status, attempts and last error.</summary>
    Task SetCallbackStateAsync(string jobId, string status, int attempts, string? lastError, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Counts one more failed attempt of the job (a run that threw) and returns how many it has had; 0 when the job is unknown.</summary>
    Task<int> CountFailedAttemptAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes jobs (and their ids) that finished before <paramref name="finishedBefore"/> and owe no
    /// callback (its status is not pending); returns how many. Unfinished jobs are never deleted.
    /// </summary>
    Task<int> DeleteFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken);

    /// <summary>Gives the worker's lease back (graceful shutdown, or done): its in-flight ids are pending again, and any worker may take the job at once.</summary>
    Task ReleaseJobAsync(string jobId, string worker, DateTimeOffset now, CancellationToken cancellationToken);
}
