using Microsoft.Data.Sqlite;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The job queue on SQLite: one server owns the file, so the queue is its in-process worker; a
/// claim runs under the write lock (BEGIN IMMEDIATE), which serialises claims as
/// <c>FOR UPDATE SKIP LOCKED</c> does on PostgreSQL, and the lease works the same way.
/// </summary>
public sealed partial class SqliteTrutoStore
{
    public async Task CreateJobAsync(BatchJob job, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection,
            "INSERT INTO batch_jobs (id, environment, tenant_id, integrated_account_id, status, query, remote_data, callback_url, created_at, updated_at) " +
            "VALUES ($id, $environment, $tenant, $account, $status, $query, $remote, $callback, $created, $created)", transaction,
            [("$id", job.Id), ("$environment", job.Environment), ("$tenant", job.TenantId), ("$account", job.AccountId), ("$status", job.Status), ("$query", job.Query),
             ("$remote", job.RemoteData), ("$callback", job.CallbackUrl), ("$created", Time(job.CreatedAt))], cancellationToken);
        await using var insert = Command(connection, "INSERT INTO batch_job_items (job_id, position, contact_id, state) VALUES ($job, $position, $contact, 'pending')", transaction,
            ("$job", job.Id), ("$position", 0), ("$contact", ""));
        for (var i = 0; i < ids.Count; i++)
        {
            insert.Parameters["$position"].Value = i;
            insert.Parameters["$contact"].Value = ids[i];
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BatchJob?> FindJobAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadJobAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<BatchJobItem>> ListJobItemsAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT position, contact_id, state, outcome, chunk_key, chunk_error FROM batch_job_items WHERE job_id = $job ORDER BY position", null, ("$job", jobId));
        return await ReadItemsAsync(command, cancellationToken);
    }

    public async Task<BatchJob?> ClaimJobAsync(string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var id = (string?)await Scalar(connection,
            "SELECT id FROM batch_jobs WHERE (status IN ('queued', 'running') OR callback_status = 'pending') AND (locked_by IS NULL OR lease_until < $now) " +
            "ORDER BY created_at, id LIMIT 1", cancellationToken, transaction, ("$now", Time(now)));
        if (id is null)
        {
            return null;
        }
        await Execute(connection,
            "UPDATE batch_jobs SET locked_by = $worker, lease_until = $lease, heartbeat_at = $now, status = CASE WHEN status = 'queued' THEN 'running' ELSE status END, " +
            // Still locked means its lease ran out (the worker died): a failed attempt.
            "failed_attempts = failed_attempts + CASE WHEN locked_by IS NULL THEN 0 ELSE 1 END, " +
            "started_at = COALESCE(started_at, $now), updated_at = $now WHERE id = $id", transaction,
            [("$id", id), ("$worker", worker), ("$lease", Time(leaseUntil)), ("$now", Time(now))], cancellationToken);
        await Execute(connection, "UPDATE batch_job_items SET state = 'pending' WHERE job_id = $id AND state = 'in_flight'", transaction, [("$id", id)], cancellationToken);
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job;
    }

    public async Task<bool> RenewLeaseAsync(string jobId, string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Execute(connection, "UPDATE batch_jobs SET lease_until = $lease, heartbeat_at = $now WHERE id = $id AND locked_by = $worker", null,
            [("$id", jobId), ("$worker", worker), ("$lease", Time(leaseUntil)), ("$now", Time(now))], cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<BatchJobItem>> TakePendingItemsAsync(string jobId, string worker, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await Scalar(connection, "SELECT 1 FROM batch_jobs WHERE id = $id AND locked_by = $worker", cancellationToken, transaction, ("$id", jobId), ("$worker", worker)) is null)
        {
            return [];
        }
        await using var command = Command(connection,
            "UPDATE batch_job_items SET state = 'in_flight' WHERE job_id = $id AND position IN " +
            "(SELECT position FROM batch_job_items WHERE job_id = $id AND state = 'pending' ORDER BY position LIMIT $count) " +
            "RETURNING position, contact_id, state, outcome, chunk_key, chunk_error", transaction, ("$id", jobId), ("$count", count));
        var items = await ReadItemsAsync(command, cancellationToken);
        await Execute(connection, "UPDATE batch_jobs SET updated_at = $now WHERE id = $id", transaction, [("$id", jobId), ("$now", Time(now))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [.. items.OrderBy(i => i.Position)];
    }

    public async Task RecordOutcomesAsync(string jobId, IReadOnlyList<BatchJobItem> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var update = Command(connection,
            "UPDATE batch_job_items SET state = $state, outcome = $outcome, chunk_key = $chunk, chunk_error = $chunkError " +
            "WHERE job_id = $job AND position = $position AND state IN ('pending', 'in_flight')", transaction,
            ("$job", jobId), ("$position", 0), ("$state", ""), ("$outcome", null), ("$chunk", null), ("$chunkError", null));
        foreach (var outcome in outcomes)
        {
            update.Parameters["$position"].Value = outcome.Position;
            update.Parameters["$state"].Value = outcome.State;
            update.Parameters["$outcome"].Value = (object?)outcome.Outcome ?? DBNull.Value;
            update.Parameters["$chunk"].Value = (object?)outcome.ChunkKey ?? DBNull.Value;
            update.Parameters["$chunkError"].Value = (object?)outcome.ChunkError ?? DBNull.Value;
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await Execute(connection, "UPDATE batch_jobs SET updated_at = $now WHERE id = $id", transaction, [("$id", jobId), ("$now", Time(now))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> CancelJobAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var cancelled = await Execute(connection, "UPDATE batch_jobs SET cancel_requested = 1, updated_at = $now WHERE id = $id AND finished_at IS NULL", transaction,
            [("$id", jobId), ("$now", Time(now))], cancellationToken) > 0;
        if (cancelled)
        {
            await Execute(connection, "UPDATE batch_job_items SET state = 'cancelled' WHERE job_id = $id AND state = 'pending'", transaction, [("$id", jobId)], cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return cancelled;
    }

    public async Task<string?> FinishJobIfDoneAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var job = await ReadJobAsync(connection, transaction, jobId, cancellationToken);
        if (job is null || job.IsFinished || job.Counts.Pending > 0)
        {
            return null;
        }
        var status = BatchJobStatus.Final(job.Counts);
        await Execute(connection,
            "UPDATE batch_jobs SET status = $status, finished_at = $now, updated_at = $now, callback_status = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END WHERE id = $id",
            transaction, [("$id", jobId), ("$status", status), ("$now", Time(now))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    public async Task SetCallbackStateAsync(string jobId, string status, int attempts, string? lastError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, "UPDATE batch_jobs SET callback_status = $status, callback_attempts = $attempts, callback_error = $error, updated_at = $now WHERE id = $id", null,
            [("$id", jobId), ("$status", status), ("$attempts", attempts), ("$error", lastError), ("$now", Time(now))], cancellationToken);
    }

    public async Task ReleaseJobAsync(string jobId, string worker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (await Execute(connection, "UPDATE batch_jobs SET locked_by = NULL, lease_until = NULL, updated_at = $now WHERE id = $id AND locked_by = $worker", transaction,
            [("$id", jobId), ("$worker", worker), ("$now", Time(now))], cancellationToken) > 0)
        {
            await Execute(connection, "UPDATE batch_job_items SET state = 'pending' WHERE job_id = $id AND state = 'in_flight'", transaction, [("$id", jobId)], cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> CountFailedAttemptAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var attempts = await Scalar(connection, "UPDATE batch_jobs SET failed_attempts = failed_attempts + 1, updated_at = $now WHERE id = $id RETURNING failed_attempts",
            cancellationToken, null, ("$id", jobId), ("$now", Time(now)));
        return attempts is null ? 0 : Convert.ToInt32(attempts, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<int> DeleteFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // No foreign key here: the items are deleted first, in the same transaction. Times are
        // stored as sortable text, so the comparison is a string one.
        const string Swept = "SELECT id FROM batch_jobs WHERE finished_at < $before AND (callback_status IS NULL OR callback_status <> 'pending')";
        await Execute(connection, $"DELETE FROM batch_job_items WHERE job_id IN ({Swept})", transaction, [("$before", Time(finishedBefore))], cancellationToken);
        var deleted = await Execute(connection, $"DELETE FROM batch_jobs WHERE id IN ({Swept})", transaction, [("$before", Time(finishedBefore))], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    private static async Task<BatchJob?> ReadJobAsync(SqliteConnection connection, SqliteTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, BatchJobSql.SelectJob("$id"), transaction, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : Parse(reader.GetString(i));
        var (total, deleted, failed, cancelled) = (reader.GetInt32(18), reader.GetInt32(19), reader.GetInt32(20), reader.GetInt32(21));
        return new BatchJob(reader.GetString(0), reader.GetString(1), Text(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), Text(6), Parse(reader.GetString(14)))
        {
            CallbackUrl = Text(7),
            CallbackStatus = Text(8),
            CallbackAttempts = reader.GetInt32(9),
            CallbackError = Text(10),
            CancelRequested = reader.GetInt32(11) != 0,
            LockedBy = Text(12),
            LeaseUntil = At(13),
            StartedAt = At(15),
            FinishedAt = At(16),
            UpdatedAt = Parse(reader.GetString(17)),
            Counts = new BatchJobCounts(total, deleted, failed, cancelled, total - deleted - failed - cancelled),
            FailedAttempts = reader.GetInt32(22),
        };
    }

    private static async Task<List<BatchJobItem>> ReadItemsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<BatchJobItem>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(new BatchJobItem(reader.GetInt32(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }
        return items;
    }
}
