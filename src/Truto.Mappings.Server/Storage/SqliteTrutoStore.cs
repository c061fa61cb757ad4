using System.Globalization;
using Microsoft.Data.Sqlite;
using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The embedded store: one SQLite file. Contexts arrive here already encrypted by
/// <see cref="EncryptingStore"/>; this class only moves rows.
/// </summary>
public sealed partial class SqliteTrutoStore(string connectionString) : ITrutoStore, IBatchJobStore
{
    // Each entry migrates from version i to i + 1 (PRAGMA user_version); never edit a shipped one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, revoked_at TEXT NULL);
        CREATE TABLE integrated_accounts (
            id TEXT PRIMARY KEY, integration TEXT NOT NULL, tenant_id TEXT NULL, status TEXT NOT NULL,
            context TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE idempotent_answers (
            key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
            headers TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL);
        """,
        // Environments, scopes and tenants. Existing tokens keep what they could do (every scope,
        // every tenant, the default environment); existing accounts join the default environment.
        """
        ALTER TABLE api_tokens ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
        ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'accounts:read accounts:write unified';
        ALTER TABLE api_tokens ADD COLUMN tenant_id TEXT NULL;
        ALTER TABLE integrated_accounts ADD COLUMN environment TEXT NOT NULL DEFAULT 'default';
        CREATE INDEX integrated_accounts_by_environment ON integrated_accounts (environment, tenant_id);
        """,
        // OAuth (issue 10): why and since when an account needs re-authorisation. Existing accounts are active.
        """
        ALTER TABLE integrated_accounts ADD COLUMN status_message TEXT NULL;
        ALTER TABLE integrated_accounts ADD COLUMN status_at TEXT NULL;
        """,
        // Connect flows in progress (issue 10): single-use states, kept at most a day past expiry.
        """
        CREATE TABLE connect_states (
            hash TEXT PRIMARY KEY, environment TEXT NOT NULL, tenant_id TEXT NULL, integration TEXT NOT NULL,
            redirect_uri TEXT NOT NULL, callback_uri TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
        CREATE INDEX connect_states_by_expiry ON connect_states (expires_at);
        """,
        // Durable batch-delete jobs (issue 11): the job with its lease and callback, and one row per id.
        """
        CREATE TABLE batch_jobs (
            id TEXT PRIMARY KEY, environment TEXT NOT NULL, tenant_id TEXT NULL, integrated_account_id TEXT NOT NULL,
            status TEXT NOT NULL, query TEXT NOT NULL, remote_data TEXT NULL, callback_url TEXT NULL,
            callback_status TEXT NULL, callback_attempts INTEGER NOT NULL DEFAULT 0, callback_error TEXT NULL,
            cancel_requested INTEGER NOT NULL DEFAULT 0, locked_by TEXT NULL, lease_until TEXT NULL, heartbeat_at TEXT NULL,
            created_at TEXT NOT NULL, started_at TEXT NULL, finished_at TEXT NULL, updated_at TEXT NOT NULL);
        CREATE INDEX batch_jobs_by_status ON batch_jobs (status, created_at);
        CREATE TABLE batch_job_items (
            job_id TEXT NOT NULL, position INTEGER NOT NULL, contact_id TEXT NOT NULL, state TEXT NOT NULL,
            outcome TEXT NULL, chunk_key TEXT NULL, chunk_error TEXT NULL,
            PRIMARY KEY (job_id, position));
        CREATE INDEX batch_job_items_by_state ON batch_job_items (job_id, state, position);
        """,
        // Job retention (Jobs:Retention): the workers' sweep deletes finished jobs by their finishing time.
        """
        CREATE INDEX batch_jobs_by_finished ON batch_jobs (finished_at);
        """,
        // The attempt cap (Jobs:MaxAttempts): runs of a job that threw, and lease take-overs (its worker died).
        """
        ALTER TABLE batch_jobs ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
        """,
    ];

    /// <summary>
    /// How long a statement waits for another connection's write lock before failing (PRAGMA
    /// busy_timeout): concurrent writers (two requests, a server and an admin command) queue
    /// instead of failing with "database is locked".
    /// </summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How many migrations this version knows: the <c>user_version</c> of a migrated file.</summary>
    public static int SchemaVersion => Migrations.Length;

    private const string TokenColumns = "id, name, hash, environment, scopes, tenant_id, created_at, revoked_at";

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // A table of the schema, not SELECT 1: a deleted file would open as a new empty database.
        await using var command = Command(connection, "SELECT 1 FROM api_tokens LIMIT 1", null);
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        RestrictFile();
        await using var connection = await OpenAsync(cancellationToken);
        // Write-ahead logging: readers never wait for the writer. It is a property of the file, set
        // once; a writer waits for another up to BusyTimeout (set on every connection).
        await Scalar(connection, "PRAGMA journal_mode = WAL;", cancellationToken);
        // The version is read inside each migration's transaction (BEGIN IMMEDIATE: the write lock
        // first), so servers and admin commands starting at once apply every migration once: the
        // others wait for the lock, then find the version already raised.
        while (true)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            var version = Convert.ToInt32(await Scalar(connection, "PRAGMA user_version;", cancellationToken, transaction), CultureInfo.InvariantCulture);
            if (version >= Migrations.Length)
            {
                return;
            }
            await Execute(connection, Migrations[version], transaction, [], cancellationToken);
            await Execute(connection, $"PRAGMA user_version = {version + 1};", transaction, [], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public async Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection,
            "INSERT INTO api_tokens (id, name, hash, environment, scopes, tenant_id, created_at) VALUES ($id, $name, $hash, $environment, $scopes, $tenant, $created)", null,
            [("$id", token.Id), ("$name", token.Name), ("$hash", token.Hash), ("$environment", token.Environment), ("$scopes", ApiScopeNames.Format(token.Scopes)),
             ("$tenant", token.TenantId), ("$created", Time(token.CreatedAt))], cancellationToken);
    }

    public async Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken)
        => (await ReadTokens("WHERE hash = $hash", cancellationToken, ("$hash", hash))).SingleOrDefault();

    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken)
        => await ReadTokens("ORDER BY created_at, id", cancellationToken);

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Execute(connection, "UPDATE api_tokens SET revoked_at = $at WHERE id = $id AND revoked_at IS NULL", null, [("$id", id), ("$at", Time(at))], cancellationToken) > 0;
    }

    public async Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection,
            "INSERT INTO integrated_accounts (id, integration, tenant_id, status, context, created_at, environment, status_message, status_at) VALUES ($id, $integration, $tenant, $status, $context, $created, $environment, $message, $at)",
            null,
            [("$id", account.Id), ("$integration", account.Integration), ("$tenant", account.TenantId), ("$status", account.Status), ("$context", account.Context),
             ("$created", Time(account.CreatedAt)), ("$environment", account.Environment), ("$message", account.StatusMessage), ("$at", account.StatusAt is { } at ? Time(at) : null)],
            cancellationToken);
    }

    public async Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
        => (await ReadAccounts("WHERE id = $id", cancellationToken, ("$id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken)
        => await ReadAccounts(
            "WHERE ($environment IS NULL OR environment = $environment) AND ($tenant IS NULL OR tenant_id = $tenant) ORDER BY created_at, id",
            cancellationToken, ("$environment", environment), ("$tenant", tenantId));

    public async Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Execute(connection, "UPDATE integrated_accounts SET tenant_id = $tenant, status = $status, context = $context, status_message = $message, status_at = $at WHERE id = $id", null,
            [("$id", account.Id), ("$tenant", account.TenantId), ("$status", account.Status), ("$context", account.Context),
             ("$message", account.StatusMessage), ("$at", account.StatusAt is { } at ? Time(at) : null)], cancellationToken) > 0;
    }

    public async Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: the write lock is taken before the read, so no other write lands between them.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if ((await ReadAccounts(connection, transaction, "WHERE id = $id", cancellationToken, ("$id", id))).SingleOrDefault() is not { } current)
        {
            return null;
        }
        if (change(current) is not { } changed)
        {
            return current;
        }
        await Execute(connection, "UPDATE integrated_accounts SET tenant_id = $tenant, status = $status, context = $context, status_message = $message, status_at = $at WHERE id = $id", transaction,
            [("$id", id), ("$tenant", changed.TenantId), ("$status", changed.Status), ("$context", changed.Context),
             ("$message", changed.StatusMessage), ("$at", changed.StatusAt is { } at ? Time(at) : null)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed with { Id = current.Id, Integration = current.Integration, Environment = current.Environment, CreatedAt = current.CreatedAt };
    }

    public async Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await Execute(connection, "DELETE FROM integrated_accounts WHERE id = $id", null, [("$id", id)], cancellationToken) > 0;
    }

    public async Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: the write lock is taken first, so a concurrent claim waits for this one
        // and then finds the key held; the primary key makes a second pending row impossible anyway.
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await Execute(connection,
            "DELETE FROM idempotent_answers WHERE key = $key AND created_at < CASE WHEN status = 0 THEN $claims ELSE $answers END", transaction,
            [("$key", claim.Key), ("$claims", Time(claimsSince)), ("$answers", Time(answersSince))], cancellationToken);
        var claimed = await Execute(connection,
            "INSERT INTO idempotent_answers (key, request_hash, status, content_type, headers, body, created_at) VALUES ($key, $hash, 0, '', '{}', x'', $claimed) ON CONFLICT (key) DO NOTHING",
            transaction, [("$key", claim.Key), ("$hash", claim.RequestHash), ("$claimed", Time(claim.ClaimedAt))], cancellationToken) > 0;
        StoredAnswer? holder = null;
        if (!claimed)
        {
            await using var command = Command(connection,
                "SELECT key, request_hash, status, content_type, headers, body, created_at FROM idempotent_answers WHERE key = $key", transaction, ("$key", claim.Key));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            holder = await reader.ReadAsync(cancellationToken)
                ? new StoredAnswer(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4), (byte[])reader[5], Parse(reader.GetString(6)))
                : null;
        }
        await transaction.CommitAsync(cancellationToken);
        return holder;
    }

    public async Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        // Answers are kept for the idempotency window only; saving one clears the expired ones.
        await Execute(connection, "DELETE FROM idempotent_answers WHERE created_at < $expired", transaction,
            [("$expired", Time(expiredBefore))], cancellationToken);
        (string, object?)[] values =
        [
            ("$key", answer.Key), ("$hash", answer.RequestHash), ("$status", answer.Status), ("$type", answer.ContentType), ("$headers", answer.Headers),
            ("$body", answer.Body), ("$created", Time(answer.CreatedAt)), ("$claimed", Time(claim.ClaimedAt)),
        ];
        var saved = await Execute(connection,
            "UPDATE idempotent_answers SET status = $status, content_type = $type, headers = $headers, body = $body, created_at = $created WHERE key = $key AND status = 0 AND created_at = $claimed",
            transaction, values, cancellationToken) > 0;
        if (!saved)
        {
            // The claim expired and was cleared: keep the answer unless a later claim holds the key.
            saved = await Execute(connection,
                "INSERT INTO idempotent_answers (key, request_hash, status, content_type, headers, body, created_at) VALUES ($key, $hash, $status, $type, $headers, $body, $created) ON CONFLICT (key) DO NOTHING",
                transaction, values, cancellationToken) > 0;
        }
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public async Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, "DELETE FROM idempotent_answers WHERE key = $key AND status = 0 AND created_at = $claimed", null,
            [("$key", claim.Key), ("$claimed", Time(claim.ClaimedAt))], cancellationToken);
    }

    public async Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await Execute(connection, "DELETE FROM connect_states WHERE expires_at < $before", null, [("$before", Time(expiredBefore))], cancellationToken);
        await Execute(connection,
            "INSERT INTO connect_states (hash, environment, tenant_id, integration, redirect_uri, callback_uri, payload, created_at, expires_at) " +
            "VALUES ($hash, $environment, $tenant, $integration, $redirect, $callback, $payload, $created, $expires)", null,
            [("$hash", state.Hash), ("$environment", state.Environment), ("$tenant", state.TenantId), ("$integration", state.Integration), ("$redirect", state.RedirectUri),
             ("$callback", state.CallbackUri), ("$payload", state.Payload), ("$created", Time(state.CreatedAt)), ("$expires", Time(state.ExpiresAt))], cancellationToken);
    }

    public async Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // One statement deletes and returns the row: a replayed or concurrent second take finds nothing.
        await using var command = Command(connection,
            "DELETE FROM connect_states WHERE hash = $hash RETURNING hash, environment, tenant_id, integration, redirect_uri, callback_uri, payload, created_at, expires_at", null,
            ("$hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ConnectState(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), Parse(reader.GetString(7)), Parse(reader.GetString(8)))
            : null;
    }

    private async Task<List<StoredAccount>> ReadAccounts(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAccounts(connection, null, where, cancellationToken, parameters);
    }

    private static async Task<List<StoredAccount>> ReadAccounts(SqliteConnection connection, SqliteTransaction? transaction, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, "SELECT id, integration, tenant_id, status, context, created_at, environment, status_message, status_at FROM integrated_accounts " + where, transaction, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<StoredAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new StoredAccount(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), Parse(reader.GetString(5)))
            {
                Environment = reader.GetString(6),
                StatusMessage = reader.IsDBNull(7) ? null : reader.GetString(7),
                StatusAt = reader.IsDBNull(8) ? null : Parse(reader.GetString(8)),
            });
        }
        return accounts;
    }

    private async Task<List<StoredToken>> ReadTokens(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {TokenColumns} FROM api_tokens " + where, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new StoredToken(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoredScopes.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5), Parse(reader.GetString(6)), reader.IsDBNull(7) ? null : Parse(reader.GetString(7))));
        }
        return tokens;
    }

    /// <summary>
    /// The file holds API token hashes and encrypted credentials: readable and writable by the
    /// server's user only (0600), created so when new, tightened when an older start left it wider.
    /// SQLite gives its <c>-wal</c> and <c>-shm</c> files the same permissions.
    /// </summary>
    private void RestrictFile()
    {
        var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (OperatingSystem.IsWindows() || string.IsNullOrEmpty(path) || path == ":memory:" || path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        // OpenOrCreate, not "exists? else CreateNew": several instances starting at once race
        // between the check and the create. A new file gets OwnerOnly from the start; an
        // existing one is tightened below.
        using (new FileStream(path, new FileStreamOptions { Mode = FileMode.OpenOrCreate, Access = FileAccess.Write, UnixCreateMode = OwnerOnly }))
        {
        }
        File.SetUnixFileMode(path, OwnerOnly);
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var busy = Command(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};", null);
        await busy.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    private static async Task<int> Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
