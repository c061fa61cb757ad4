using Microsoft.Data.Sqlite;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests;

/// <summary>What only the SQLite store does, on a real file: upgrades of old files, file permissions, WAL and its write lock (the rest: <see cref="Storage.StoreConformanceTests"/>).</summary>
public sealed class StoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-store-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_database_of_the_first_schema_is_migrated_and_its_tokens_and_accounts_keep_working_as_before()
    {
        Directory.CreateDirectory(_directory);
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = FirstSchema + """
                INSERT INTO api_tokens (id, name, hash, created_at) VALUES ('t1', 'old', 'hash-1', '2025-01-01T00:00:00.000Z');
                INSERT INTO integrated_accounts (id, integration, tenant_id, status, context, created_at) VALUES ('a1', 'hubspot', 'acme', 'active', '{}', '2025-01-01T00:00:00.000Z');
                """;
            await command.ExecuteNonQueryAsync();
        }
        var store = Create();

        await store.MigrateAsync(CancellationToken.None);

        var token = await store.FindTokenByHashAsync("hash-1", CancellationToken.None);
        Assert.Equal(("t1", "default", ApiScopes.All, (string?)null), (token!.Id, token.Environment, token.Scopes, token.TenantId));
        var account = Assert.Single(await store.ListAccountsAsync("default", "acme", CancellationToken.None));
        Assert.Equal(("a1", "default"), (account.Id, account.Environment));
        Assert.Empty(await store.ListAccountsAsync("staging", null, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_writers_wait_for_a_held_write_lock_instead_of_failing()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        await using var holder = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await holder.OpenAsync();
        await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync();

        var writers = Enumerable.Range(0, 8).Select(i => Task.Run(() => store.AddTokenAsync(
            new StoredToken($"t{i}", "n", $"h{i}", "default", ApiScopes.All, null, DateTimeOffset.UtcNow, null), CancellationToken.None))).ToList();
        await transaction.CommitAsync();
        await Task.WhenAll(writers);

        Assert.Equal(8, (await store.ListTokensAsync(CancellationToken.None)).Count);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_database_file_is_readable_by_its_owner_only_and_uses_write_ahead_logging()
    {
        var store = Create();

        await store.MigrateAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task An_existing_database_file_open_to_others_is_tightened_at_start()
    {
        Directory.CreateDirectory(_directory);
        await File.WriteAllBytesAsync(DatabasePath, []);
        File.SetUnixFileMode(DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await Create().MigrateAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
    }

    /// <summary>The schema as the first release created it (migration 1, user_version 1).</summary>
    private const string FirstSchema = """
        CREATE TABLE api_tokens (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL, revoked_at TEXT NULL);
        CREATE TABLE integrated_accounts (
            id TEXT PRIMARY KEY, integration TEXT NOT NULL, tenant_id TEXT NULL, status TEXT NOT NULL,
            context TEXT NOT NULL, created_at TEXT NOT NULL);
        CREATE TABLE idempotent_answers (
            key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL,
            headers TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL);
        PRAGMA user_version = 1;

        """;

    private string DatabasePath => Path.Combine(_directory, "store.db");

    private SqliteTrutoStore Create()
    {
        Directory.CreateDirectory(_directory);
        return new SqliteTrutoStore($"Data Source={DatabasePath};Pooling=False");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in temp when still held; nothing of value in it.
        }
    }
}
