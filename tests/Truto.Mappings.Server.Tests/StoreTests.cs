using Microsoft.Data.Sqlite;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests;

/// <summary>The SQLite store on a real file: migrations and the idempotency window.</summary>
public sealed class StoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-store-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Migrating_twice_is_harmless_and_keeps_the_data()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        await store.AddAccountAsync(new StoredAccount("a1", "hubspot", null, "active", "{}", DateTimeOffset.UtcNow), CancellationToken.None);

        await store.MigrateAsync(CancellationToken.None);

        Assert.NotNull(await store.FindAccountAsync("a1", CancellationToken.None));
    }

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
    public async Task Accounts_are_listed_by_environment_and_tenant()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await store.AddAccountAsync(new StoredAccount("a1", "hubspot", "acme", "active", "{}", now), CancellationToken.None);
        await store.AddAccountAsync(new StoredAccount("a2", "hubspot", "beta", "active", "{}", now.AddSeconds(1)), CancellationToken.None);
        await store.AddAccountAsync(new StoredAccount("a3", "hubspot", "acme", "active", "{}", now.AddSeconds(2)) { Environment = "staging" }, CancellationToken.None);

        Assert.Equal(["a1", "a2"], (await store.ListAccountsAsync("default", null, CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a1"], (await store.ListAccountsAsync("default", "acme", CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a3"], (await store.ListAccountsAsync("staging", null, CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a1", "a2", "a3"], (await store.ListAccountsAsync(null, null, CancellationToken.None)).Select(a => a.Id));
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
    public async Task Saving_an_answer_clears_answers_older_than_the_idempotency_window()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var old = new IdempotencyClaim("old", "h", now - TimeSpan.FromHours(25));
        Assert.Null(await store.ClaimAnswerAsync(old, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));
        await store.SaveAnswerAsync(old, Answer(old, 200), now - TimeSpan.FromHours(49), CancellationToken.None);
        var recent = new IdempotencyClaim("new", "h", now);
        Assert.Null(await store.ClaimAnswerAsync(recent, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));

        await store.SaveAnswerAsync(recent, Answer(recent, 200), now - TimeSpan.FromHours(24), CancellationToken.None);

        // "old" is free again (claimed anew); "new" is held by its answer.
        Assert.Null(await store.ClaimAnswerAsync(old with { ClaimedAt = now }, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));
        var held = await store.ClaimAnswerAsync(recent with { ClaimedAt = now.AddSeconds(1) }, now - TimeSpan.FromHours(1), now, CancellationToken.None);
        Assert.Equal((200, false), (held!.Status, held.IsPending));
    }

    [Fact]
    public async Task Of_many_concurrent_claims_on_one_key_exactly_one_is_taken()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
            store.ClaimAnswerAsync(new IdempotencyClaim("k", "h", now.AddMilliseconds(i)), now.AddHours(-1), now.AddMinutes(-10), CancellationToken.None))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.True(r!.IsPending));
    }

    [Fact]
    public async Task A_released_claim_frees_the_key_and_a_claim_older_than_the_claim_timeout_no_longer_holds_it()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        var first = new IdempotencyClaim("k", "h", now);
        await store.ClaimAnswerAsync(first, now.AddHours(-24), now.AddMinutes(-10), CancellationToken.None);

        var whileHeld = await store.ClaimAnswerAsync(first with { ClaimedAt = now.AddSeconds(1) }, now.AddHours(-24), now.AddMinutes(-10), CancellationToken.None);
        await store.ReleaseClaimAsync(first, CancellationToken.None);
        var afterRelease = new IdempotencyClaim("k", "h", now.AddSeconds(2));
        var reclaimed = await store.ClaimAnswerAsync(afterRelease, now.AddHours(-24), now.AddMinutes(-10), CancellationToken.None);
        // Eleven minutes on, with a 10-minute claim timeout, the unfinished claim is taken over.
        var later = now.AddMinutes(11);
        var takenOver = await store.ClaimAnswerAsync(afterRelease with { ClaimedAt = later }, later.AddHours(-24), later.AddMinutes(-10), CancellationToken.None);
        // The expired claim's late answer does not overwrite the claim that took over.
        var lateSave = await store.SaveAnswerAsync(afterRelease, Answer(afterRelease, 200), later.AddHours(-24), CancellationToken.None);

        Assert.True(whileHeld!.IsPending);
        Assert.Null(reclaimed);
        Assert.Null(takenOver);
        Assert.False(lateSave);
    }

    private static StoredAnswer Answer(IdempotencyClaim claim, int status) => new(claim.Key, claim.RequestHash, status, "application/json", "{}", [1], claim.ClaimedAt);

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
