using System.Text.Json.Nodes;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// The job resource the API answers with (and a callback carries): id, account, status, counts,
/// progress, times, the callback's state, and once finished the answer the synchronous call would
/// have given (<c>response</c>, with its status in <c>response_status</c>).
/// </summary>
public static class BatchJobResource
{
    /// <summary>
    /// The job as JSON; <paramref name="items"/> (every id with its outcome) only for a finished job.
    /// <paramref name="withCallback"/> false leaves out the <c>callback</c> member: the body of the
    /// callback itself, whose delivery state is not known while it is being sent (see <see cref="JobCallbackSender"/>).
    /// </summary>
    public static JsonObject ToJson(BatchJob job, IReadOnlyList<BatchJobItem>? items, bool withCallback = true)
    {
        ArgumentNullException.ThrowIfNull(job);
        var counts = job.Counts;
        var json = new JsonObject
        {
            ["id"] = job.Id,
            ["integrated_account_id"] = job.AccountId,
            ["status"] = job.Status,
            ["counts"] = new JsonObject
            {
                ["total"] = counts.Total,
                ["deleted"] = counts.Deleted,
                ["failed"] = counts.Failed,
                ["cancelled"] = counts.Cancelled,
                ["pending"] = counts.Pending,
            },
            ["progress"] = Math.Round(counts.Progress, 4),
            ["cancel_requested"] = job.CancelRequested,
            ["created_at"] = JobJson.Time(job.CreatedAt),
            ["started_at"] = JobJson.Time(job.StartedAt),
            ["finished_at"] = JobJson.Time(job.FinishedAt),
            ["updated_at"] = JobJson.Time(job.UpdatedAt),
        };
        if (job.CallbackUrl is not null && withCallback)
        {
            // The URL itself is not repeated: it may carry a token of the caller's.
            json["callback"] = new JsonObject
            {
                ["status"] = job.CallbackStatus ?? BatchJobStatus.CallbackPending,
                ["attempts"] = job.CallbackAttempts,
                ["last_error"] = job.CallbackError,
            };
        }
        if (job.IsFinished && items is not null)
        {
            var (status, body) = BatchJobAnswer.Build(items);
            json["response_status"] = status;
            json["response"] = body;
        }
        return json;
    }
}
