using Npgsql;
using NpgsqlTypes;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The job queue on PostgreSQL, shared by every instance: a claim picks the oldest runnable job
/// with <c>FOR UPDATE SKIP LOCKED</c> (two instances claiming at once never wait for or take the
/// same job) and holds it with a lease (<c>locked_by</c>, <c>lease_until</c>, <c>heartbeat_at</c>)
/// that its worker renews; when a worker dies its lease runs out and the next claim takes the job over.
/// </summary>
public sealed partial class PostgresTrutoStore
{
    public async Task CreateJobAsync(BatchJob job, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(ids);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection, transaction,
            "INSERT INTO batch_jobs (id, environment, tenant_id, integrated_account_id, status, query, remote_data, callback_url, created_at, updated_at) " +
            "VALUES (@id, @environment, @tenant, @account, @status, @query, @remote, @callback, @created, @created)", cancellationToken,
            ("id", job.Id), ("environment", job.Environment), ("tenant", Text(job.TenantId)), ("account", job.AccountId), ("status", job.Status), ("query", job.Query),
            ("remote", Text(job.RemoteData)), ("callback", Text(job.CallbackUrl)), ("created", job.CreatedAt));
        // One statement for every id: unnest pairs each id with its position.
        await Execute(connection, transaction,
            "INSERT INTO batch_job_items (job_id, position, contact_id, state) SELECT @job, p.position - 1, p.contact_id, 'pending' FROM unnest(@ids) WITH ORDINALITY AS p(contact_id, position)",
            cancellationToken, ("job", job.Id), ("ids", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = ids.ToArray() }));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BatchJob?> FindJobAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadJobAsync(connection, null, id, cancellationToken);
    }

    public async Task<IReadOnlyList<BatchJobItem>> ListJobItemsAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT position, contact_id, state, outcome, chunk_key, chunk_error FROM batch_job_items WHERE job_id = @job ORDER BY position", ("job", jobId));
        return await ReadItemsAsync(command, cancellationToken);
    }

    public async Task<BatchJob?> ClaimJobAsync(string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // SKIP LOCKED: a job another instance is claiming right now is passed over, not waited for.
        await using var claim = Command(connection, transaction,
            "UPDATE batch_jobs j SET locked_by = @worker, lease_until = @lease, heartbeat_at = @now, " +
            // Still locked means its lease ran out (the worker died or lost the database): a failed attempt.
            "failed_attempts = j.failed_attempts + CASE WHEN j.locked_by IS NULL THEN 0 ELSE 1 END, " +
            "status = CASE WHEN j.status = 'queued' THEN 'running' ELSE j.status END, started_at = COALESCE(j.started_at, @now), updated_at = @now " +
            "FROM (SELECT id FROM batch_jobs WHERE (status IN ('queued', 'running') OR callback_status = 'pending') AND (locked_by IS NULL OR lease_until < @now) " +
            "ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) next WHERE j.id = next.id RETURNING j.id",
            ("worker", worker), ("lease", leaseUntil), ("now", now));
        if (await claim.ExecuteScalarAsync(cancellationToken) is not string id)
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        await Execute(connection, transaction, "UPDATE batch_job_items SET state = 'pending' WHERE job_id = @id AND state = 'in_flight'", cancellationToken, ("id", id));
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return job;
    }

    public async Task<bool> RenewLeaseAsync(string jobId, string worker, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await Execute(connection, null, "UPDATE batch_jobs SET lease_until = @lease, heartbeat_at = @now WHERE id = @id AND locked_by = @worker", cancellationToken,
            ("id", jobId), ("worker", worker), ("lease", leaseUntil), ("now", now)) > 0;
    }

    public async Task<IReadOnlyList<BatchJobItem>> TakePendingItemsAsync(string jobId, string worker, int count, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The job row is locked first, so a worker taking the job over waits for this to commit and
        // then finds these ids in flight (and makes them pending again), never half-taken.
        await using (var held = Command(connection, transaction, "SELECT 1 FROM batch_jobs WHERE id = @id AND locked_by = @worker FOR UPDATE", ("id", jobId), ("worker", worker)))
        {
            if (await held.ExecuteScalarAsync(cancellationToken) is null)
            {
                await transaction.CommitAsync(cancellationToken);
                return [];
            }
        }
        await using var command = Command(connection, transaction,
            "UPDATE batch_job_items SET state = 'in_flight' WHERE job_id = @id AND position IN " +
            "(SELECT position FROM batch_job_items WHERE job_id = @id AND state = 'pending' ORDER BY position LIMIT @count) " +
            "RETURNING position, contact_id, state, outcome, chunk_key, chunk_error", ("id", jobId), ("count", count));
        var items = await ReadItemsAsync(command, cancellationToken);
        await Execute(connection, transaction, "UPDATE batch_jobs SET updated_at = @now WHERE id = @id", cancellationToken, ("id", jobId), ("now", now));
        await transaction.CommitAsync(cancellationToken);
        return [.. items.OrderBy(i => i.Position)];
    }

    public async Task RecordOutcomesAsync(string jobId, IReadOnlyList<BatchJobItem> outcomes, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One statement for the whole slice: the outcomes as parallel arrays.
        await Execute(connection, transaction,
            "UPDATE batch_job_items i SET state = o.state, outcome = o.outcome, chunk_key = o.chunk_key, chunk_error = o.chunk_error " +
            "FROM unnest(@positions, @states, @outcomes, @chunks, @chunkErrors) AS o(position, state, outcome, chunk_key, chunk_error) " +
            "WHERE i.job_id = @job AND i.position = o.position AND i.state IN ('pending', 'in_flight')", cancellationToken,
            ("job", jobId),
            ("positions", new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = outcomes.Select(o => o.Position).ToArray() }),
            ("states", TextArray(outcomes.Select(o => o.State))),
            ("outcomes", TextArray(outcomes.Select(o => o.Outcome))),
            ("chunks", TextArray(outcomes.Select(o => o.ChunkKey))),
            ("chunkErrors", TextArray(outcomes.Select(o => o.ChunkError))));
        await Execute(connection, transaction, "UPDATE batch_jobs SET updated_at = @now WHERE id = @id", cancellationToken, ("id", jobId), ("now", now));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> CancelJobAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cancelled = await Execute(connection, transaction, "UPDATE batch_jobs SET cancel_requested = TRUE, updated_at = @now WHERE id = @id AND finished_at IS NULL", cancellationToken,
            ("id", jobId), ("now", now)) > 0;
        if (cancelled)
        {
            await Execute(connection, transaction, "UPDATE batch_job_items SET state = 'cancelled' WHERE job_id = @id AND state = 'pending'", cancellationToken, ("id", jobId));
        }
        await transaction.CommitAsync(cancellationToken);
        return cancelled;
    }

    public async Task<string?> FinishJobIfDoneAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row lock makes the check and the update one step: two finishers, one final status.
        await Execute(connection, transaction, "SELECT 1 FROM batch_jobs WHERE id = @id FOR UPDATE", cancellationToken, ("id", jobId));
        var job = await ReadJobAsync(connection, transaction, jobId, cancellationToken);
        if (job is null || job.IsFinished || job.Counts.Pending > 0)
        {
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        var status = BatchJobStatus.Final(job.Counts);
        await Execute(connection, transaction,
            "UPDATE batch_jobs SET status = @status, finished_at = @now, updated_at = @now, callback_status = CASE WHEN callback_url IS NULL THEN NULL ELSE 'pending' END WHERE id = @id",
            cancellationToken, ("id", jobId), ("status", status), ("now", now));
        await transaction.CommitAsync(cancellationToken);
        return status;
    }

    public async Task SetCallbackStateAsync(string jobId, string status, int attempts, string? lastError, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "UPDATE batch_jobs SET callback_status = @status, callback_attempts = @attempts, callback_error = @error, updated_at = @now WHERE id = @id",
            cancellationToken, ("id", jobId), ("status", status), ("attempts", attempts), ("error", Text(lastError)), ("now", now));
    }

    public async Task ReleaseJobAsync(string jobId, string worker, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await Execute(connection, transaction, "UPDATE batch_jobs SET locked_by = NULL, lease_until = NULL, updated_at = @now WHERE id = @id AND locked_by = @worker",
            cancellationToken, ("id", jobId), ("worker", worker), ("now", now)) > 0)
        {
            await Execute(connection, transaction, "UPDATE batch_job_items SET state = 'pending' WHERE job_id = @id AND state = 'in_flight'", cancellationToken, ("id", jobId));
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> CountFailedAttemptAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "UPDATE batch_jobs SET failed_attempts = failed_attempts + 1, updated_at = @now WHERE id = @id RETURNING failed_attempts",
            ("id", jobId), ("now", now));
        return await command.ExecuteScalarAsync(cancellationToken) is int attempts ? attempts : 0;
    }

    public async Task<int> DeleteFinishedJobsAsync(DateTimeOffset finishedBefore, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // The items go with their job (ON DELETE CASCADE).
        return await Execute(connection, null,
            "DELETE FROM batch_jobs WHERE finished_at < @before AND (callback_status IS NULL OR callback_status <> 'pending')", cancellationToken, ("before", finishedBefore));
    }

    private static NpgsqlParameter TextArray(IEnumerable<string?> values)
        => new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = values.Select(v => (object?)v ?? DBNull.Value).ToArray() };

    private static async Task<BatchJob?> ReadJobAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, BatchJobSql.SelectJob("@id"), ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }
        string? TextAt(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        DateTimeOffset? At(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
        var (total, deleted, failed, cancelled) = ((int)reader.GetInt64(18), (int)reader.GetInt64(19), (int)reader.GetInt64(20), (int)reader.GetInt64(21));
        return new BatchJob(reader.GetString(0), reader.GetString(1), TextAt(2), reader.GetString(3), reader.GetString(4), reader.GetString(5), TextAt(6),
            reader.GetFieldValue<DateTimeOffset>(14))
        {
            CallbackUrl = TextAt(7),
            CallbackStatus = TextAt(8),
            CallbackAttempts = reader.GetInt32(9),
            CallbackError = TextAt(10),
            CancelRequested = reader.GetBoolean(11),
            LockedBy = TextAt(12),
            LeaseUntil = At(13),
            StartedAt = At(15),
            FinishedAt = At(16),
            UpdatedAt = reader.GetFieldValue<DateTimeOffset>(17),
            Counts = new BatchJobCounts(total, deleted, failed, cancelled, total - deleted - failed - cancelled),
            FailedAttempts = reader.GetInt32(22),
        };
    }

    private static async Task<List<BatchJobItem>> ReadItemsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
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
