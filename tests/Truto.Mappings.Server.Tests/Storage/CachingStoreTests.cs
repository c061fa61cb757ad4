using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// The in-process cache of accounts and token checks over a real SQLite store: it answers repeated
/// reads from memory, and every change made through it is seen by the next read.
/// </summary>
public sealed class CachingStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-cache-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_second_read_of_an_account_is_the_kept_copy_and_with_a_zero_ttl_a_new_read()
    {
        var (cached, _) = await CreateAsync();
        var (uncached, _) = await CreateAsync(new CacheOptions { AccountTtl = TimeSpan.Zero });
        await cached.AddAccountAsync(Account("a1", "{\"v\":1}"), CancellationToken.None);
        await uncached.AddAccountAsync(Account("a1", "{\"v\":1}"), CancellationToken.None);

        Assert.Same(await cached.FindAccountAsync("a1", CancellationToken.None), await cached.FindAccountAsync("a1", CancellationToken.None));
        Assert.NotSame(await uncached.FindAccountAsync("a1", CancellationToken.None), await uncached.FindAccountAsync("a1", CancellationToken.None));
    }

    [Fact]
    public async Task A_changed_account_is_read_as_changed()
    {
        var (store, _) = await CreateAsync();
        await store.AddAccountAsync(Account("a1", "{\"v\":1}"), CancellationToken.None);
        await store.FindAccountAsync("a1", CancellationToken.None);

        await store.ChangeAccountAsync("a1", a => a with { Context = "{\"v\":2}" }, CancellationToken.None);
        var changed = await store.FindAccountAsync("a1", CancellationToken.None);
        await store.UpdateAccountAsync(changed! with { Context = "{\"v\":3}" }, CancellationToken.None);
        var updated = await store.FindAccountAsync("a1", CancellationToken.None);

        Assert.Equal("{\"v\":2}", changed!.Context);
        Assert.Equal("{\"v\":3}", updated!.Context);
    }

    [Fact]
    public async Task A_deleted_account_is_not_found()
    {
        var (store, _) = await CreateAsync();
        await store.AddAccountAsync(Account("a1", "{}"), CancellationToken.None);
        await store.FindAccountAsync("a1", CancellationToken.None);

        await store.DeleteAccountAsync("a1", CancellationToken.None);

        Assert.Null(await store.FindAccountAsync("a1", CancellationToken.None));
    }

    [Fact]
    public async Task A_revoked_token_is_read_as_revoked()
    {
        var (store, _) = await CreateAsync();
        await store.AddTokenAsync(new StoredToken("t1", "ci", "hash-1", StoredAccount.DefaultEnvironment, ApiScopes.All, null, T0, null), CancellationToken.None);
        var before = await store.FindTokenByHashAsync("hash-1", CancellationToken.None);

        await store.RevokeTokenAsync("t1", T0.AddHours(1), CancellationToken.None);

        Assert.Null(before!.RevokedAt);
        Assert.Equal(T0.AddHours(1), (await store.FindTokenByHashAsync("hash-1", CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task The_cache_keeps_no_more_accounts_than_its_bound()
    {
        var (store, cache) = await CreateAsync(new CacheOptions { MaxAccounts = 2 });
        for (var i = 0; i < 6; i++)
        {
            await store.AddAccountAsync(Account($"a{i}", "{}"), CancellationToken.None);
            Assert.NotNull(await store.FindAccountAsync($"a{i}", CancellationToken.None));
        }

        Assert.InRange(cache.AccountCount, 1, 2);
    }

    [Fact]
    public async Task A_read_that_started_before_a_change_does_not_keep_what_the_change_replaced()
    {
        var raw = await CreateSqliteAsync();
        var held = new HeldReads(raw);
        var cache = new StoreCache(Options.Create(new CacheOptions()));
        var store = new CachingStore(held, cache, null, NullLogger<CachingStore>.Instance);
        await store.AddAccountAsync(Account("a1", "{\"v\":1}"), CancellationToken.None);

        // The read has the old row and is held before it returns; the change lands meanwhile.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = held.Hold(release.Task);
        var stale = store.FindAccountAsync("a1", CancellationToken.None);
        await read.WaitAsync(TimeSpan.FromSeconds(30));
        await store.ChangeAccountAsync("a1", a => a with { Context = "{\"v\":2}" }, CancellationToken.None);
        release.SetResult();

        Assert.Equal("{\"v\":1}", (await stale)!.Context);
        Assert.Equal("{\"v\":2}", (await store.FindAccountAsync("a1", CancellationToken.None))!.Context);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static StoredAccount Account(string id, string context) => new(id, "hubspot", null, StoredAccount.ActiveStatus, context, T0);

    private async Task<(CachingStore Store, StoreCache Cache)> CreateAsync(CacheOptions? options = null)
    {
        var cache = new StoreCache(Options.Create(options ?? new CacheOptions()));
        return (new CachingStore(await CreateSqliteAsync(), cache, null, NullLogger<CachingStore>.Instance), cache);
    }

    private async Task<SqliteTrutoStore> CreateSqliteAsync()
    {
        Directory.CreateDirectory(_directory);
        var store = new SqliteTrutoStore($"Data Source={Path.Combine(_directory, Guid.NewGuid().ToString("N") + ".db")};Pooling=False");
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    /// <summary>The SQLite store whose next account read, once it has its row, waits for a signal before answering.</summary>
    private sealed class HeldReads(ITrutoStore inner) : ITrutoStore
    {
        private Held? _hold;

        /// <summary>Holds the next account read; the task completes when that read has its row.</summary>
        public Task Hold(Task release)
        {
            var read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _hold = new Held(read, release);
            return read.Task;
        }

        public async Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
        {
            var account = await inner.FindAccountAsync(id, cancellationToken);
            if (Interlocked.Exchange(ref _hold, null) is { } hold)
            {
                hold.Read.SetResult();
                await hold.Release;
            }
            return account;
        }

        public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);
        public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

        public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken) => inner.AddTokenAsync(token, cancellationToken);
        public Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken) => inner.FindTokenByHashAsync(hash, cancellationToken);
        public Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) => inner.ListTokensAsync(cancellationToken);
        public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => inner.RevokeTokenAsync(id, at, cancellationToken);
        public Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken) => inner.AddAccountAsync(account, cancellationToken);
        public Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken) => inner.ListAccountsAsync(environment, tenantId, cancellationToken);
        public Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken) => inner.UpdateAccountAsync(account, cancellationToken);
        public Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken) => inner.ChangeAccountAsync(id, change, cancellationToken);
        public Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken) => inner.DeleteAccountAsync(id, cancellationToken);
        public Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken) => inner.ClaimAnswerAsync(claim, answersSince, claimsSince, cancellationToken);
        public Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken) => inner.SaveAnswerAsync(claim, answer, expiredBefore, cancellationToken);
        public Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(claim, cancellationToken);
        public Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken) => inner.AddConnectStateAsync(state, expiredBefore, cancellationToken);
        public Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken) => inner.TakeConnectStateAsync(hash, cancellationToken);
    }

    private sealed record Held(TaskCompletionSource Read, Task Release);
}
