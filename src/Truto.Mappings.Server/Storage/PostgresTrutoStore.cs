using Npgsql;
using NpgsqlTypes;
using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The shared store (<c>Store:Provider=postgresql</c>): the same rows and semantics as
/// <see cref="SqliteTrutoStore"/> in one PostgreSQL database that several instances use at once.
/// Contexts arrive here already encrypted by <see cref="EncryptingStore"/>; this class only moves rows.
/// </summary>
public sealed partial class PostgresTrutoStore : ITrutoStore, IBatchJobStore, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The advisory lock key held around a migration run ("truto" + "mig" in ASCII), so instances
    /// that start at once apply each migration once: the others wait, then find it applied.
    /// </summary>
    public const long MigrationLockKey = 0x747275746F_6D6967;

    // Versioned migrations, a small documented scheme rather than a library (see the README, "Several
    // instances: PostgreSQL"): migration i brings the schema to version i + 1 and is recorded in
    // schema_migrations in the same transaction, so a run that fails leaves no half-applied version.
    // DbUp/Evolve/FluentMigrator are served, but none takes the advisory lock this needs for us, and
    // the SQLite store already keeps its versions this way (PRAGMA user_version). Never edit a shipped one.
    private static readonly string[] Migrations =
    [
        // The schema SQLite reached in three steps, in one: tokens with environment, scopes and tenant;
        // accounts with environment and status; idempotent answers keyed by the scoped key.
        """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
            environment TEXT NOT NULL DEFAULT 'default', scopes TEXT NOT NULL, tenant_id TEXT NULL,
            created_at TIMESTAMPTZ NOT NULL, revoked_at TIMESTAMPTZ NULL);
        CREATE TABLE integrated_accounts (
            id TEXT PRIMARY KEY, integration TEXT NOT NULL, tenant_id TEXT NULL,
            environment TEXT NOT NULL DEFAULT 'default', status TEXT NOT NULL,
            status_message TEXT NULL, status_at TIMESTAMPTZ NULL,
            context TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX integrated_accounts_by_environment ON integrated_accounts (environment, tenant_id);
        CREATE TABLE idempotent_answers (
            key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
            headers TEXT NOT NULL, body BYTEA NOT NULL, created_at TIMESTAMPTZ NOT NULL);
        """,
        // Connect flows in progress (issue 10): single-use states, kept at most a day past expiry.
        """
        CREATE TABLE connect_states (
            hash TEXT PRIMARY KEY, environment TEXT NOT NULL, tenant_id TEXT NULL, integration TEXT NOT NULL,
            redirect_uri TEXT NOT NULL, callback_uri TEXT NOT NULL, payload TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL, expires_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX connect_states_by_expiry ON connect_states (expires_at);
        """,
        // Instances acting as one (issue 11): the GCRA state of each provider and account's rate limit
        // (Cluster/PostgresRateLimiter: the theoretical arrival time of the next call) and the Data
        // Protection key ring (Cluster/PostgresXmlRepository: the key elements as XML, by friendly name).
        """
        CREATE TABLE provider_rate_limits (
            provider TEXT NOT NULL, account TEXT NOT NULL, tat TIMESTAMPTZ NOT NULL, touched_at TIMESTAMPTZ NOT NULL,
            PRIMARY KEY (provider, account));
        CREATE TABLE data_protection_keys (
            friendly_name TEXT PRIMARY KEY, xml TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
        """,
        // Durable batch-delete jobs (issue 11): the job with its lease and callback, and one row per id.
        """
        CREATE TABLE batch_jobs (
            id TEXT PRIMARY KEY, environment TEXT NOT NULL, tenant_id TEXT NULL, integrated_account_id TEXT NOT NULL,
            status TEXT NOT NULL, query TEXT NOT NULL, remote_data TEXT NULL, callback_url TEXT NULL,
            callback_status TEXT NULL, callback_attempts INTEGER NOT NULL DEFAULT 0, callback_error TEXT NULL,
            cancel_requested BOOLEAN NOT NULL DEFAULT FALSE, locked_by TEXT NULL, lease_until TIMESTAMPTZ NULL, heartbeat_at TIMESTAMPTZ NULL,
            created_at TIMESTAMPTZ NOT NULL, started_at TIMESTAMPTZ NULL, finished_at TIMESTAMPTZ NULL, updated_at TIMESTAMPTZ NOT NULL);
        CREATE INDEX batch_jobs_by_status ON batch_jobs (status, created_at);
        CREATE TABLE batch_job_items (
            job_id TEXT NOT NULL REFERENCES batch_jobs (id) ON DELETE CASCADE, position INTEGER NOT NULL, contact_id TEXT NOT NULL, state TEXT NOT NULL,
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
        // Several rate-limit windows per provider (issue 13): one GCRA row per window ("240/60s"), the
        // account '' for a window the integration's accounts share; rows of the one-window schema keep
        // window '' and, no longer read, are deleted by the idle cleanup. The booking function locks a
        // call's rows in one order and moves them all on from one granted time (Cluster/PostgresRateLimiter).
        """
        ALTER TABLE provider_rate_limits ADD COLUMN rate_window TEXT NOT NULL DEFAULT '';
        ALTER TABLE provider_rate_limits DROP CONSTRAINT provider_rate_limits_pkey;
        ALTER TABLE provider_rate_limits ADD PRIMARY KEY (provider, account, rate_window);
        """ + Cluster.PostgresRateLimiter.BookingFunction,
    ];

    private const string TokenColumns = "id, name, hash, environment, scopes, tenant_id, created_at, revoked_at";

    private const string AccountColumns = "id, integration, tenant_id, status, context, created_at, environment, status_message, status_at";

    private const string AnswerColumns = "key, request_hash, status, content_type, headers, body, created_at";

    private const string ConnectStateColumns = "hash, environment, tenant_id, integration, redirect_uri, callback_uri, payload, created_at, expires_at";

    private readonly NpgsqlDataSource _dataSource;
    private readonly bool _ownsDataSource;

    /// <summary>A store over the database <paramref name="connectionString"/> names, with a pool of its own (tools, tests).</summary>
    public PostgresTrutoStore(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _ownsDataSource = true;
    }

    /// <summary>A store on the server's one pool (<paramref name="dataSource"/>, shared and disposed by its owner).</summary>
    public PostgresTrutoStore(NpgsqlDataSource dataSource) => _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));

    /// <summary>How many migrations this version knows: the schema version a migrated database has.</summary>
    public static int SchemaVersion => Migrations.Length;

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT 1 FROM api_tokens LIMIT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // A session lock, not a transaction one: each migration commits on its own while the lock is held.
        // Closing the connection (a crashed start) releases it too.
        await Execute(connection, null, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", MigrationLockKey));
        try
        {
            await Execute(connection, null,
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())", cancellationToken);
            await using var current = Command(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
            var version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            for (var i = version; i < Migrations.Length; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, transaction, Migrations[i], cancellationToken);
                await Execute(connection, transaction, "INSERT INTO schema_migrations (version) VALUES (@version)", cancellationToken, ("version", i + 1));
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            // Not cancellable: the lock must not outlive a cancelled start on a pooled connection.
            await Execute(connection, null, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", MigrationLockKey));
        }
    }

    public async Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null,
            "INSERT INTO api_tokens (id, name, hash, environment, scopes, tenant_id, created_at) VALUES (@id, @name, @hash, @environment, @scopes, @tenant, @created)",
            cancellationToken,
            ("id", token.Id), ("name", token.Name), ("hash", token.Hash), ("environment", token.Environment), ("scopes", ApiScopeNames.Format(token.Scopes)),
            ("tenant", Text(token.TenantId)), ("created", token.CreatedAt));
    }

    public async Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken)
        => (await ReadTokens("WHERE hash = @hash", cancellationToken, ("hash", hash))).SingleOrDefault();

    public async Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken)
        => await ReadTokens("ORDER BY created_at, id", cancellationToken);

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await Execute(connection, null, "UPDATE api_tokens SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", cancellationToken,
            ("id", id), ("at", at)) > 0;
    }

    public async Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null,
            $"INSERT INTO integrated_accounts ({AccountColumns}) VALUES (@id, @integration, @tenant, @status, @context, @created, @environment, @message, @at)",
            cancellationToken,
            ("id", account.Id), ("integration", account.Integration), ("tenant", Text(account.TenantId)), ("status", account.Status), ("context", account.Context),
            ("created", account.CreatedAt), ("environment", account.Environment), ("message", Text(account.StatusMessage)), ("at", Time(account.StatusAt)));
    }

    public async Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
        => (await ReadAccounts("WHERE id = @id", cancellationToken, ("id", id))).SingleOrDefault();

    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken)
        => await ReadAccounts(
            "WHERE (@environment IS NULL OR environment = @environment) AND (@tenant IS NULL OR tenant_id = @tenant) ORDER BY created_at, id",
            cancellationToken, ("environment", Text(environment)), ("tenant", Text(tenantId)));

    public async Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await Execute(connection, null,
            "UPDATE integrated_accounts SET tenant_id = @tenant, status = @status, context = @context, status_message = @message, status_at = @at WHERE id = @id",
            cancellationToken,
            ("id", account.Id), ("tenant", Text(account.TenantId)), ("status", account.Status), ("context", account.Context),
            ("message", Text(account.StatusMessage)), ("at", Time(account.StatusAt))) > 0;
    }

    public async Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // FOR UPDATE: the row stays locked until the commit, so no other write lands between the read and this one.
        if ((await ReadAccounts(connection, transaction, "WHERE id = @id FOR UPDATE", cancellationToken, ("id", id))).SingleOrDefault() is not { } current)
        {
            return null;
        }
        if (change(current) is not { } changed)
        {
            return current;
        }
        await Execute(connection, transaction,
            "UPDATE integrated_accounts SET tenant_id = @tenant, status = @status, context = @context, status_message = @message, status_at = @at WHERE id = @id",
            cancellationToken,
            ("id", id), ("tenant", Text(changed.TenantId)), ("status", changed.Status), ("context", changed.Context),
            ("message", Text(changed.StatusMessage)), ("at", Time(changed.StatusAt)));
        await transaction.CommitAsync(cancellationToken);
        return changed with { Id = current.Id, Integration = current.Integration, Environment = current.Environment, CreatedAt = current.CreatedAt };
    }

    public async Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await Execute(connection, null, "DELETE FROM integrated_accounts WHERE id = @id", cancellationToken, ("id", id)) > 0;
    }

    public async Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // INSERT … ON CONFLICT DO NOTHING under the primary key: of concurrent claims (on any instance)
        // one inserts; the others wait for its transaction and then insert nothing. The holder read
        // after that can be gone already (released in between): then the key is free, so try again.
        while (true)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, transaction,
                "DELETE FROM idempotent_answers WHERE key = @key AND created_at < CASE WHEN status = 0 THEN @claims ELSE @answers END", cancellationToken,
                ("key", claim.Key), ("claims", claimsSince), ("answers", answersSince));
            var claimed = await Execute(connection, transaction,
                $"INSERT INTO idempotent_answers ({AnswerColumns}) VALUES (@key, @hash, 0, '', '{{}}', ''::bytea, @claimed) ON CONFLICT (key) DO NOTHING", cancellationToken,
                ("key", claim.Key), ("hash", claim.RequestHash), ("claimed", claim.ClaimedAt)) > 0;
            StoredAnswer? holder = null;
            if (!claimed)
            {
                await using var command = Command(connection, transaction, $"SELECT {AnswerColumns} FROM idempotent_answers WHERE key = @key", ("key", claim.Key));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    holder = new StoredAnswer(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                        reader.GetFieldValue<byte[]>(5), reader.GetFieldValue<DateTimeOffset>(6));
                }
            }
            await transaction.CommitAsync(cancellationToken);
            if (claimed || holder is not null)
            {
                return holder;
            }
        }
    }

    public async Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(answer);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Answers are kept for the idempotency window only; saving one clears the expired ones.
        await Execute(connection, transaction, "DELETE FROM idempotent_answers WHERE created_at < @expired", cancellationToken, ("expired", expiredBefore));
        (string, object?)[] values =
        [
            ("key", answer.Key), ("hash", answer.RequestHash), ("status", answer.Status), ("type", answer.ContentType), ("headers", answer.Headers),
            ("body", answer.Body), ("created", answer.CreatedAt), ("claimed", claim.ClaimedAt),
        ];
        var saved = await Execute(connection, transaction,
            "UPDATE idempotent_answers SET status = @status, content_type = @type, headers = @headers, body = @body, created_at = @created WHERE key = @key AND status = 0 AND created_at = @claimed",
            cancellationToken, values) > 0;
        if (!saved)
        {
            // The claim expired and was cleared: keep the answer unless a later claim holds the key.
            saved = await Execute(connection, transaction,
                $"INSERT INTO idempotent_answers ({AnswerColumns}) VALUES (@key, @hash, @status, @type, @headers, @body, @created) ON CONFLICT (key) DO NOTHING",
                cancellationToken, values) > 0;
        }
        await transaction.CommitAsync(cancellationToken);
        return saved;
    }

    public async Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "DELETE FROM idempotent_answers WHERE key = @key AND status = 0 AND created_at = @claimed", cancellationToken,
            ("key", claim.Key), ("claimed", claim.ClaimedAt));
    }

    public async Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, null, "DELETE FROM connect_states WHERE expires_at < @before", cancellationToken, ("before", expiredBefore));
        await Execute(connection, null,
            $"INSERT INTO connect_states ({ConnectStateColumns}) VALUES (@hash, @environment, @tenant, @integration, @redirect, @callback, @payload, @created, @expires)",
            cancellationToken,
            ("hash", state.Hash), ("environment", state.Environment), ("tenant", Text(state.TenantId)), ("integration", state.Integration), ("redirect", state.RedirectUri),
            ("callback", state.CallbackUri), ("payload", state.Payload), ("created", state.CreatedAt), ("expires", state.ExpiresAt));
    }

    public async Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        // One statement deletes and returns the row: of concurrent takes (on any instance) the others
        // wait for the row lock, then find it deleted and return nothing.
        await using var command = Command(connection, null, $"DELETE FROM connect_states WHERE hash = @hash RETURNING {ConnectStateColumns}", ("hash", hash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ConnectState(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8))
            : null;
    }

    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private async Task<List<StoredAccount>> ReadAccounts(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReadAccounts(connection, null, where, cancellationToken, parameters);
    }

    private static async Task<List<StoredAccount>> ReadAccounts(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, $"SELECT {AccountColumns} FROM integrated_accounts " + where, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<StoredAccount>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new StoredAccount(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5))
            {
                Environment = reader.GetString(6),
                StatusMessage = reader.IsDBNull(7) ? null : reader.GetString(7),
                StatusAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
            });
        }
        return accounts;
    }

    private async Task<List<StoredToken>> ReadTokens(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection, null, $"SELECT {TokenColumns} FROM api_tokens " + where, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tokens = new List<StoredToken>();
        while (await reader.ReadAsync(cancellationToken))
        {
            tokens.Add(new StoredToken(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), StoredScopes.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return tokens;
    }

    /// <summary>A text parameter that may be null: typed, so PostgreSQL can tell what <c>@x IS NULL</c> compares.</summary>
    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    /// <summary>A time parameter that may be null, typed for the same reason.</summary>
    private static NpgsqlParameter Time(DateTimeOffset? value) => new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = (object?)value?.UtcDateTime ?? DBNull.Value };

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter typed)
            {
                typed.ParameterName = name;
                command.Parameters.Add(typed);
            }
            else
            {
                // timestamptz takes UTC DateTimes; a DateTimeOffset is sent as its UTC instant.
                command.Parameters.AddWithValue(name, value is DateTimeOffset time ? time.UtcDateTime : value ?? DBNull.Value);
            }
        }
        return command;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
