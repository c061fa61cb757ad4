using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// The server's real job store with one fault injected: after <see cref="TakesBeforeFault"/> slices,
/// taking the next slice throws (as a bug in our code or a store that keeps failing would), with a
/// message the logs must not repeat. Everything else reaches the real store.
/// </summary>
internal sealed class FaultyJobStore(IBatchJobStore inner) : IBatchJobStore
{
    /// <summary>What the thrown exception's message holds: a stand-in for a value that must never be logged.</summary>
    public const string SecretInMessage = "secret-in-the-exception-message";

    private int _takes;

    /// <summary>How many slices are handed out before every further take throws.</summary>
    public int TakesBeforeFault { get; init; } = 1;

    /// <summary>How many takes threw.</summary>
    public int Faults => Math.Max(0, Volatile.Read(ref _takes) - TakesBeforeFault);

    /// <summary>Replaces the server's <see cref="IBatchJobStore"/> with this decorator over it; <paramref name="created"/> receives the instance.</summary>
    public static void Install(WebApplicationBuilder builder, int takesBeforeFault, Action<FaultyJobStore> created)
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(IBatchJobStore));
        builder.Services.AddSingleton<IBatchJobStore>(sp =>
        {
            var store = new FaultyJobStore((IBatchJobStore)original.ImplementationFactory!(sp)) { TakesBeforeFault = takesBeforeFault };
            created(store);
            return store;
        });
    }

    public Task<IReadOnlyList<BatchJobItem>> TakePendingItemsAsync(string jobId, string worker, int count, DateTimeOffset now, CancellationToken cancellationToken)
        => Interlocked.Increment(ref _takes) > TakesBeforeFault
            ? throw new InvalidOperationException(SecretInMessage)
            : inner.TakePendingItemsAsync(jobId, worker, count, now, cancellationToken);

    public Task CreateJobAsync(BatchJob job, IReadOnlyList<string> ids, CancellationToken cancellationToken) => inner.CreateJobAsync(job, ids, cancellationToken);

    public Task<BatchJob?> FindJobAsync(string id, CancellationToken cancellationToken) => inner.FindJobAsync(id, cancellationToken);

    public Task<IReadOnlyList<BatchJobItem>> ListJobItemsAsync(string jobId, CancellationToken cancellationToken) => inner.ListJobItemsAsync(jobId, cancellationToken);

    public Task<BatchJob?> ClaimJobAsync(string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        => inner.ClaimJobAsync(worker, now, leaseUntil, cancellationToken);

    public Task<bool> RenewLeaseAsync(string jobId, string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
        => inner.RenewLeaseAsync(jobId, worker, now, leaseUntil, cancellationToken);

    public Task RecordOutcomesAsync(string jobId, IReadOnlyList<BatchJobItem> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
        => inner.RecordOutcomesAsync(jobId, outcomes, now, cancellationToken);

    public Task<bool> CancelJobAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.CancelJobAsync(jobId, now, cancellationToken);

    public Task<string?> FinishJobIfDoneAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.FinishJobIfDoneAsync(jobId, now, cancellationToken);

    public Task SetCallbackStateAsync(string jobId, string status, int attempts, string? lastError, DateTimeOffset now, CancellationToken cancellationToken)
        => inner.SetCallbackStateAsync(jobId, status, attempts, lastError, now, cancellationToken);

    public Task<int> CountFailedAttemptAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken) => inner.CountFailedAttemptAsync(jobId, now, cancellationToken);

    public Task<int> DeleteFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken) => inner.DeleteFinishedJobsAsync(finishedBefore, cancellationToken);

    public Task ReleaseJobAsync(string jobId, string worker, DateTimeOffset now, CancellationToken cancellationToken) => inner.ReleaseJobAsync(jobId, worker, now, cancellationToken);
}
