using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// Two instances' caches on one PostgreSQL database (each its own store, cache and listener): a
/// change made through one drops the other's copy by notification, long before the TTL (10 min here).
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresStoreChangesTests(PostgresServer server) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly CacheOptions LongLived = new() { AccountTtl = TimeSpan.FromMinutes(10), TokenTtl = TimeSpan.FromMinutes(10) };

    private readonly List<IAsyncDisposable> _disposables = [];
    private string _database = "";

    [Fact]
    public async Task An_account_changed_or_deleted_through_A_is_read_afresh_by_B()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        await a.Store.AddAccountAsync(new StoredAccount("a1", "hubspot", null, StoredAccount.ActiveStatus, "{\"v\":1}", T0), CancellationToken.None);
        await b.Store.FindAccountAsync("a1", CancellationToken.None);

        await a.Store.ChangeAccountAsync("a1", x => x with { Context = "{\"v\":2}" }, CancellationToken.None);
        await WaitUntilAsync(async () => (await b.Store.FindAccountAsync("a1", CancellationToken.None))!.Context == "{\"v\":2}");
        await a.Store.DeleteAccountAsync("a1", CancellationToken.None);
        await WaitUntilAsync(async () => await b.Store.FindAccountAsync("a1", CancellationToken.None) is null);
    }

    [Fact]
    public async Task A_token_revoked_through_A_is_read_as_revoked_by_B()
    {
        var a = await StartInstanceAsync();
        var b = await StartInstanceAsync();
        await a.Store.AddTokenAsync(new StoredToken("t1", "ci", "hash-1", StoredAccount.DefaultEnvironment, ApiScopes.All, null, T0, null), CancellationToken.None);
        Assert.Null((await b.Store.FindTokenByHashAsync("hash-1", CancellationToken.None))!.RevokedAt);

        await a.Store.RevokeTokenAsync("t1", T0.AddHours(1), CancellationToken.None);

        await WaitUntilAsync(async () => (await b.Store.FindTokenByHashAsync("hash-1", CancellationToken.None))!.RevokedAt is not null);
    }

    [Theory]
    [InlineData("account:a1", true, false)]
    [InlineData("tokens", false, true)]
    [InlineData("something-newer", true, true)]
    public void A_notification_drops_what_it_names(string payload, bool accountDropped, bool tokenDropped)
    {
        using var cache = new StoreCache(Options.Create(LongLived));
        cache.KeepAccount(new StoredAccount("a1", "hubspot", null, StoredAccount.ActiveStatus, "{}", T0), cache.Generation);
        cache.KeepToken(new StoredToken("t1", "ci", "hash-1", StoredAccount.DefaultEnvironment, ApiScopes.All, null, T0, null), cache.Generation);

        PostgresStoreChanges.Apply(cache, payload);

        Assert.Equal(accountDropped, !cache.TryGetAccount("a1", out _));
        Assert.Equal(tokenDropped, !cache.TryGetToken("hash-1", out _));
    }

    public async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }
        await server.DropDatabaseAsync(_database);
    }

    /// <summary>One instance's store, cache and listener; returns once it listens (its first connection clears its cache, so it starts empty).</summary>
    private async Task<(CachingStore Store, StoreCache Cache)> StartInstanceAsync()
    {
        var connectionString = server.ConnectionString(_database);
        var raw = new PostgresTrutoStore(connectionString);
        _disposables.Add(raw);
        await raw.MigrateAsync(CancellationToken.None);
        var cache = new StoreCache(Options.Create(LongLived));
        var pool = Npgsql.NpgsqlDataSource.Create(connectionString);
        _disposables.Add(pool);
        var changes = new PostgresStoreChanges(pool, connectionString, cache, TimeProvider.System, NullLogger<PostgresStoreChanges>.Instance);
        _disposables.Add(new Stopping(changes));
        await changes.StartAsync(CancellationToken.None);
        await WaitUntilAsync(() => ListeningAsync(connectionString));
        return (new CachingStore(raw, cache, changes, NullLogger<CachingStore>.Instance), cache);
    }

    private async Task<bool> ListeningAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'", connection);
        return (long)(await command.ExecuteScalarAsync())! >= _disposables.OfType<Stopping>().Count();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    private sealed class Stopping(PostgresStoreChanges changes) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await changes.StopAsync(CancellationToken.None);
            changes.Dispose();
        }
    }
}
