namespace Truto.Mappings.Server.Storage;

/// <summary>
/// SQL the two stores' job queues share word for word (standard SQL both engines run), so a column
/// added to a job is read the same way by both.
/// </summary>
internal static class BatchJobSql
{
    /// <summary>
    /// One job (alias <c>j</c>) by the id in <paramref name="idParameter"/> (each store's parameter
    /// syntax), with its id counts: total, deleted, failed, cancelled, then its failed attempts — in
    /// the order both readers expect. The counts are one pass over the job's items with conditional
    /// aggregates (<c>COUNT(*) FILTER (WHERE …)</c>, standard SQL that PostgreSQL and SQLite since
    /// 3.30 both run), instead of a correlated subquery per count.
    /// </summary>
    public static string SelectJob(string idParameter) =>
        "SELECT j.id, j.environment, j.tenant_id, j.integrated_account_id, j.status, j.query, j.remote_data, j.callback_url, j.callback_status, j.callback_attempts, " +
        "j.callback_error, j.cancel_requested, j.locked_by, j.lease_until, j.created_at, j.started_at, j.finished_at, j.updated_at, " +
        "c.total, c.deleted, c.failed, c.cancelled, j.failed_attempts " +
        "FROM batch_jobs j CROSS JOIN (SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE state = 'deleted') AS deleted, " +
        "COUNT(*) FILTER (WHERE state = 'failed') AS failed, COUNT(*) FILTER (WHERE state = 'cancelled') AS cancelled " +
        $"FROM batch_job_items WHERE job_id = {idParameter}) c WHERE j.id = {idParameter}";
}
