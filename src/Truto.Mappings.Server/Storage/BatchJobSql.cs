namespace Truto.Mappings.Server.Storage;

/// <summary>
/// SQL the two stores' job queues share word for word (standard SQL both engines run), so a column
/// added to a job is read the same way by both.
/// </summary>
internal static class BatchJobSql
{
    /// <summary>A job row (alias <c>j</c>) with its id counts: total, deleted, failed, cancelled, then its failed attempts — in the order both readers expect.</summary>
    public const string Columns =
        "j.id, j.environment, j.tenant_id, j.integrated_account_id, j.status, j.query, j.remote_data, j.callback_url, j.callback_status, j.callback_attempts, " +
        "j.callback_error, j.cancel_requested, j.locked_by, j.lease_until, j.created_at, j.started_at, j.finished_at, j.updated_at, " +
        "(SELECT COUNT(*) FROM batch_job_items i WHERE i.job_id = j.id), " +
        "(SELECT COUNT(*) FROM batch_job_items i WHERE i.job_id = j.id AND i.state = 'deleted'), " +
        "(SELECT COUNT(*) FROM batch_job_items i WHERE i.job_id = j.id AND i.state = 'failed'), " +
        "(SELECT COUNT(*) FROM batch_job_items i WHERE i.job_id = j.id AND i.state = 'cancelled'), " +
        "j.failed_attempts";
}
