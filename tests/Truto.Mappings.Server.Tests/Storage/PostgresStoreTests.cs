using Npgsql;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>What only the PostgreSQL store does: its migration lock and upgrades of databases an older version made (the rest: <see cref="StoreConformanceTests"/>).</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresStoreTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>pg_locks lists the whole server's locks: only this test's database counts.</summary>
    private const string ThisDatabase = "database = (SELECT oid FROM pg_database WHERE datname = current_database())";
    private string _database = "";

    [Fact]
    public async Task A_start_waits_for_the_migration_lock_another_instance_holds_and_then_migrates()
    {
        await using var other = await OpenAsync();
        await ExecuteAsync(other, $"SELECT pg_advisory_lock({PostgresTrutoStore.MigrationLockKey})");
        await using var store = new PostgresTrutoStore(server.ConnectionString(_database));

        var migrating = store.MigrateAsync(CancellationToken.None);
        // Waiting: its session asks for the lock and is not granted it.
        await WaitUntilAsync(async () => await CountAsync(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND {ThisDatabase} AND NOT granted AND objid = {PostgresTrutoStore.MigrationLockKey & 0xFFFFFFFF}") == 1);
        var tablesWhileWaiting = await CountAsync("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'");
        await ExecuteAsync(other, $"SELECT pg_advisory_unlock({PostgresTrutoStore.MigrationLockKey})");
        await migrating.WaitAsync(Patience);

        Assert.Equal(0, tablesWhileWaiting);
        Assert.Equal(PostgresTrutoStore.SchemaVersion, await CountAsync("SELECT count(*) FROM schema_migrations"));
        // The lock is given back after the run.
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND {ThisDatabase}"));
    }

    [Fact]
    public async Task A_database_at_schema_version_1_gets_the_later_migrations_and_keeps_its_rows()
    {
        await using (var connection = await OpenAsync())
        {
            await ExecuteAsync(connection, """
                CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
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
                INSERT INTO schema_migrations (version) VALUES (1);
                INSERT INTO api_tokens (id, name, hash, scopes, created_at) VALUES ('t1', 'old', 'hash-1', 'unified', '2026-01-01T00:00:00Z');
                INSERT INTO integrated_accounts (id, integration, tenant_id, status, context, created_at) VALUES ('a1', 'hubspot', 'acme', 'active', 'ctx', '2026-01-01T00:00:00Z');
                """);
        }
        await using var store = new PostgresTrutoStore(server.ConnectionString(_database));

        await store.MigrateAsync(CancellationToken.None);

        Assert.Equal(PostgresTrutoStore.SchemaVersion, await CountAsync("SELECT max(version) FROM schema_migrations"));
        Assert.Equal(ApiScopes.Unified, (await store.FindTokenByHashAsync("hash-1", CancellationToken.None))!.Scopes);
        Assert.Equal("ctx", (await store.FindAccountAsync("a1", CancellationToken.None))!.Context);
        var at = DateTimeOffset.UnixEpoch;
        await store.AddConnectStateAsync(new ConnectState("h", "default", null, "hubspot", "https://a/", "https://b/", "{}", at, at.AddMinutes(1)), at, CancellationToken.None);
        Assert.NotNull(await store.TakeConnectStateAsync("h", CancellationToken.None));
    }

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public Task DisposeAsync() => server.DropDatabaseAsync(_database);

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(server.ConnectionString(_database));
        await connection.OpenAsync();
        return connection;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<int> CountAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }
}
