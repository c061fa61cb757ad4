namespace Truto.Mappings.Server.Storage;

/// <summary>The statuses of a job, of its items and of its callback, as stored and answered.</summary>
public static class BatchJobStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string PartiallyFailed = "partially_failed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>An id not yet sent.</summary>
    public const string ItemPending = "pending";

    /// <summary>An id handed to the runtime and not answered yet: back to pending when its worker's lease is taken over or given back.</summary>
    public const string ItemInFlight = "in_flight";

    public const string ItemDeleted = "deleted";
    public const string ItemFailed = "failed";
    public const string ItemCancelled = "cancelled";

    public const string CallbackPending = "pending";
    public const string CallbackDelivered = "delivered";
    public const string CallbackFailed = "failed";

    /// <summary>The final status of a job whose ids all have an outcome.</summary>
    public static string Final(BatchJobCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Cancelled > 0 ? Cancelled
            : counts.Failed == 0 ? Succeeded
            : counts.Deleted == 0 ? Failed
            : PartiallyFailed;
    }
}
