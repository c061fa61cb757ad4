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
    public async Task Saving_an_answer_clears_answers_older_than_the_idempotency_window()
    {
        var store = Create();
        await store.MigrateAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;
        await store.SaveAnswerAsync(new StoredAnswer("old", "h", 200, "application/json", "{}", [1], now - TimeSpan.FromHours(25)), now - TimeSpan.FromHours(49), CancellationToken.None);

        await store.SaveAnswerAsync(new StoredAnswer("new", "h", 200, "application/json", "{}", [2], now), now - TimeSpan.FromHours(24), CancellationToken.None);

        Assert.Null(await store.FindAnswerAsync("old", DateTimeOffset.MinValue, CancellationToken.None));
        Assert.NotNull(await store.FindAnswerAsync("new", now - TimeSpan.FromHours(1), CancellationToken.None));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_new_database_file_is_readable_by_its_owner_only_and_uses_write_ahead_logging()
    {
        var store = Create();

        await store.MigrateAsync(CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(DatabasePath));
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
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
