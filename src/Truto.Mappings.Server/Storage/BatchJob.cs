namespace Truto.Mappings.Server.Storage;

/// <summary>
/// A durable batch-delete job as stored (<c>batch_jobs</c>): whose it is (the account's environment
/// and tenant, like the account itself), what to run (the account, the Truto query, <c>remote_data</c>),
/// where it stands, who works on it (<see cref="LockedBy"/> until <see cref="LeaseUntil"/>) and its
/// completion callback. Its ids and their outcomes are <see cref="BatchJobItem"/>s.
/// </summary>
/// <param name="Id">The job id (a uuid).</param>
/// <param name="Environment">The environment of the account (and so of the tokens that see the job).</param>
/// <param name="TenantId">The account's tenant when the job was created: a tenant-limited token sees jobs of its tenant only.</param>
/// <param name="AccountId">The integrated account the ids are deleted through.</param>
/// <param name="Status">One of <see cref="BatchJobStatus"/>.</param>
/// <param name="Query">The request's query string (the Truto parameters the worker parses again; ids already moved into the items).</param>
/// <param name="RemoteData">The body's <c>remote_data</c> as JSON text, or null.</param>
/// <param name="CreatedAt">When the job was accepted.</param>
public sealed record BatchJob(string Id, string Environment, string? TenantId, string AccountId, string Status, string Query, string? RemoteData, DateTimeOffset CreatedAt)
{
    /// <summary>Where to POST the finished job, or null.</summary>
    public string? CallbackUrl { get; init; }

    /// <summary>One of <see cref="BatchJobStatus.CallbackPending"/>, <c>delivered</c> or <c>failed</c>; null before the job finishes or without a callback.</summary>
    public string? CallbackStatus { get; init; }

    /// <summary>How many times the callback was tried.</summary>
    public int CallbackAttempts { get; init; }

    /// <summary>Why the last callback attempt failed (a status or an exception type, never the URL).</summary>
    public string? CallbackError { get; init; }

    /// <summary>True once a caller asked to cancel: ids not yet sent became cancelled.</summary>
    public bool CancelRequested { get; init; }

    /// <summary>The worker holding the job (an instance and loop id), or null.</summary>
    public string? LockedBy { get; init; }

    /// <summary>Until when <see cref="LockedBy"/> holds it; after that another worker may take it over.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>When a worker first took the job.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When every id had its outcome.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When anything about the job last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; } = CreatedAt;

    /// <summary>How many ids are in each state (read with the job; zero when it is being created).</summary>
    public BatchJobCounts Counts { get; init; } = BatchJobCounts.None;

    /// <summary>
    /// How many runs of the job failed: a run that threw (our code or the store, not a provider's
    /// answer), or a lease taken over because its worker died. At <c>Jobs:MaxAttempts</c> the job is given up.
    /// </summary>
    public int FailedAttempts { get; init; }

    /// <summary>True once the job has its final status.</summary>
    public bool IsFinished => FinishedAt is not null;
}
