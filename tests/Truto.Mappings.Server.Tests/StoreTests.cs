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

    private SqliteTrutoStore Create()
    {
        Directory.CreateDirectory(_directory);
        return new SqliteTrutoStore($"Data Source={Path.Combine(_directory, "store.db")};Pooling=False");
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
