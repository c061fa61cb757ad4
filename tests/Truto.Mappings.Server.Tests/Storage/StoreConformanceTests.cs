using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// What every <see cref="ITrutoStore"/> does, run against each store on a real database
/// (<see cref="SqliteStoreConformanceTests"/>, <see cref="PostgresStoreConformanceTests"/>), so
/// neither drifts. Each test gets a fresh, empty database.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    // Millisecond times: the precision both stores keep (SQLite stores them as text to the millisecond).
    private static readonly DateTimeOffset T0 = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    /// <summary>A new store on this test's database (a second call: another instance on the same database).</summary>
    protected abstract ITrutoStore CreateStore();

    /// <summary>The schema versions recorded as applied, one entry per applied migration.</summary>
    protected abstract Task<IReadOnlyList<int>> AppliedMigrationsAsync();

    /// <summary>How many migrations the store knows (the version of a migrated database).</summary>
    protected abstract int SchemaVersion { get; }

    public abstract Task InitializeAsync();

    public abstract Task DisposeAsync();

    [Fact]
    public async Task Migrating_twice_is_harmless_and_keeps_the_data()
    {
        var store = await MigratedAsync();
        await store.AddAccountAsync(Account("a1", T0), CancellationToken.None);

        await store.MigrateAsync(CancellationToken.None);

        Assert.NotNull(await store.FindAccountAsync("a1", CancellationToken.None));
        Assert.Equal(Enumerable.Range(1, SchemaVersion), await AppliedMigrationsAsync());
    }

    [Fact]
    public async Task Several_instances_migrating_a_fresh_database_at_once_all_succeed_and_apply_each_migration_once()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => CreateStore()).ToList();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));

        Assert.Equal(Enumerable.Range(1, SchemaVersion), await AppliedMigrationsAsync());
        await stores[0].AddTokenAsync(Token("t1", "h1", T0), CancellationToken.None);
        Assert.NotNull(await stores[5].FindTokenByHashAsync("h1", CancellationToken.None));
    }

    [Fact]
    public async Task A_token_is_stored_with_everything_it_grants_and_found_by_its_hash_only()
    {
        var store = await MigratedAsync();
        var token = new StoredToken("t1", "ci", "hash-1", "staging", ApiScopes.AccountsRead | ApiScopes.Unified, "acme", T0, null);

        await store.AddTokenAsync(token, CancellationToken.None);

        Assert.Equal(token, await store.FindTokenByHashAsync("hash-1", CancellationToken.None));
        Assert.Null(await store.FindTokenByHashAsync("t1", CancellationToken.None));
        Assert.Null(await store.FindTokenByHashAsync("hash-2", CancellationToken.None));
    }

    [Fact]
    public async Task Tokens_are_listed_oldest_first_revoked_ones_included_and_revoked_once()
    {
        var store = await MigratedAsync();
        await store.AddTokenAsync(Token("t2", "h2", T0.AddSeconds(1)), CancellationToken.None);
        await store.AddTokenAsync(Token("t1", "h1", T0), CancellationToken.None);

        var revoked = await store.RevokeTokenAsync("t1", T0.AddMinutes(1), CancellationToken.None);
        var again = await store.RevokeTokenAsync("t1", T0.AddMinutes(2), CancellationToken.None);
        var unknown = await store.RevokeTokenAsync("nope", T0, CancellationToken.None);

        Assert.Equal((true, false, false), (revoked, again, unknown));
        var tokens = await store.ListTokensAsync(CancellationToken.None);
        Assert.Equal(["t1", "t2"], tokens.Select(t => t.Id));
        Assert.Equal([T0.AddMinutes(1), null], tokens.Select(t => t.RevokedAt));
    }

    [Fact]
    public async Task An_account_is_stored_with_its_environment_tenant_and_status()
    {
        var store = await MigratedAsync();
        var account = new StoredAccount("a1", "hubspot", "acme", StoredAccount.NeedsReauthStatus, "{\"x\":1}", T0)
        {
            Environment = "staging",
            StatusMessage = "invalid_grant",
            StatusAt = T0.AddSeconds(5),
        };

        await store.AddAccountAsync(account, CancellationToken.None);

        Assert.Equal(account, await store.FindAccountAsync("a1", CancellationToken.None));
        Assert.Null(await store.FindAccountAsync("a2", CancellationToken.None));
    }

    [Fact]
    public async Task Accounts_are_listed_by_environment_and_tenant()
    {
        var store = await MigratedAsync();
        await store.AddAccountAsync(Account("a1", T0) with { TenantId = "acme" }, CancellationToken.None);
        await store.AddAccountAsync(Account("a2", T0.AddSeconds(1)) with { TenantId = "beta" }, CancellationToken.None);
        await store.AddAccountAsync(Account("a3", T0.AddSeconds(2)) with { TenantId = "acme", Environment = "staging" }, CancellationToken.None);

        Assert.Equal(["a1", "a2"], (await store.ListAccountsAsync("default", null, CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a1"], (await store.ListAccountsAsync("default", "acme", CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a3"], (await store.ListAccountsAsync("staging", null, CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a1", "a3"], (await store.ListAccountsAsync(null, "acme", CancellationToken.None)).Select(a => a.Id));
        Assert.Equal(["a1", "a2", "a3"], (await store.ListAccountsAsync(null, null, CancellationToken.None)).Select(a => a.Id));
        Assert.Empty(await store.ListAccountsAsync("production", null, CancellationToken.None));
    }

    [Fact]
    public async Task Updating_an_account_replaces_tenant_status_and_context_and_keeps_the_rest()
    {
        var store = await MigratedAsync();
        await store.AddAccountAsync(Account("a1", T0) with { Environment = "staging" }, CancellationToken.None);
        var update = new StoredAccount("a1", "changed", "beta", StoredAccount.NeedsReauthStatus, "{\"y\":2}", T0.AddDays(1))
        {
            Environment = "changed",
            StatusMessage = "refused",
            StatusAt = T0.AddHours(1),
        };

        var updated = await store.UpdateAccountAsync(update, CancellationToken.None);
        var back = await store.UpdateAccountAsync(update with { Status = StoredAccount.ActiveStatus, StatusMessage = null, StatusAt = null }, CancellationToken.None);
        var missing = await store.UpdateAccountAsync(update with { Id = "a2" }, CancellationToken.None);

        Assert.Equal((true, true, false), (updated, back, missing));
        var stored = await store.FindAccountAsync("a1", CancellationToken.None);
        Assert.Equal(
            new StoredAccount("a1", "hubspot", "beta", StoredAccount.ActiveStatus, "{\"y\":2}", T0) { Environment = "staging" },
            stored);
        Assert.Null(await store.FindAccountAsync("a2", CancellationToken.None));
    }

    [Fact]
    public async Task Changing_an_account_writes_what_the_change_makes_of_the_stored_row_and_keeps_id_integration_environment_and_creation()
    {
        var store = await MigratedAsync();
        await store.AddAccountAsync(Account("a1", T0) with { Environment = "staging", Context = "{\"x\":1}" }, CancellationToken.None);

        var changed = await store.ChangeAccountAsync("a1", current => current with
        {
            Id = "other", Integration = "changed", Environment = "changed", CreatedAt = T0.AddDays(1),
            TenantId = "beta", Status = StoredAccount.NeedsReauthStatus, StatusMessage = "refused", StatusAt = T0.AddHours(1),
            Context = current.Context.Replace("1", "2", StringComparison.Ordinal),
        }, CancellationToken.None);
        var left = await store.ChangeAccountAsync("a1", _ => null, CancellationToken.None);
        var missing = await store.ChangeAccountAsync("a2", current => current, CancellationToken.None);

        var expected = new StoredAccount("a1", "hubspot", "beta", StoredAccount.NeedsReauthStatus, "{\"x\":2}", T0)
        {
            Environment = "staging",
            StatusMessage = "refused",
            StatusAt = T0.AddHours(1),
        };
        Assert.Equal(expected, changed);
        Assert.Equal(expected, left);
        Assert.Equal(expected, await store.FindAccountAsync("a1", CancellationToken.None));
        Assert.Null(missing);
    }

    [Fact]
    public async Task Concurrent_changes_of_one_account_from_several_instances_each_see_the_others_writes()
    {
        var first = await MigratedAsync();
        var stores = new[] { first, CreateStore(), CreateStore(), CreateStore() };
        await first.AddAccountAsync(Account("a1", T0) with { Context = "[]" }, CancellationToken.None);

        // Each change appends its number to the stored list: a change that read a stale row would drop another's.
        await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => stores[i % stores.Length].ChangeAccountAsync("a1", current =>
        {
            var list = System.Text.Json.JsonSerializer.Deserialize<List<int>>(current.Context)!;
            list.Add(i);
            return current with { Context = System.Text.Json.JsonSerializer.Serialize(list) };
        }, CancellationToken.None))));

        var stored = System.Text.Json.JsonSerializer.Deserialize<List<int>>((await first.FindAccountAsync("a1", CancellationToken.None))!.Context)!;
        Assert.Equal(Enumerable.Range(0, 24), stored.Order());
    }

    [Fact]
    public async Task A_deleted_account_is_gone_and_deleting_it_again_says_so()
    {
        var store = await MigratedAsync();
        await store.AddAccountAsync(Account("a1", T0), CancellationToken.None);
        await store.AddAccountAsync(Account("a2", T0), CancellationToken.None);

        var deleted = await store.DeleteAccountAsync("a1", CancellationToken.None);
        var again = await store.DeleteAccountAsync("a1", CancellationToken.None);

        Assert.Equal((true, false), (deleted, again));
        Assert.Null(await store.FindAccountAsync("a1", CancellationToken.None));
        Assert.Equal(["a2"], (await store.ListAccountsAsync(null, null, CancellationToken.None)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_saved_answer_holds_its_key_and_comes_back_as_saved()
    {
        var store = await MigratedAsync();
        var claim = new IdempotencyClaim("k", "request-hash", T0);
        Assert.Null(await store.ClaimAnswerAsync(claim, T0.AddHours(-24), T0.AddMinutes(-15), CancellationToken.None));
        var answer = new StoredAnswer("k", "request-hash", 207, "application/json", "{\"X-Request-Id\":\"r\"}", [1, 2, 3], T0.AddSeconds(3));

        var saved = await store.SaveAnswerAsync(claim, answer, T0.AddHours(-24), CancellationToken.None);
        var held = await store.ClaimAnswerAsync(claim with { ClaimedAt = T0.AddMinutes(1) }, T0.AddHours(-23), T0.AddMinutes(-14), CancellationToken.None);

        Assert.True(saved);
        Assert.NotNull(held);
        Assert.Equal((answer.Key, answer.RequestHash, answer.Status, answer.ContentType, answer.Headers, answer.CreatedAt, false),
            (held.Key, held.RequestHash, held.Status, held.ContentType, held.Headers, held.CreatedAt, held.IsPending));
        Assert.Equal(answer.Body, held.Body);
    }

    [Fact]
    public async Task Saving_an_answer_clears_answers_older_than_the_idempotency_window()
    {
        var store = await MigratedAsync();
        var old = new IdempotencyClaim("old", "h", T0 - TimeSpan.FromHours(25));
        Assert.Null(await store.ClaimAnswerAsync(old, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));
        await store.SaveAnswerAsync(old, Answer(old, 200), T0 - TimeSpan.FromHours(49), CancellationToken.None);
        var recent = new IdempotencyClaim("new", "h", T0);
        Assert.Null(await store.ClaimAnswerAsync(recent, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));

        await store.SaveAnswerAsync(recent, Answer(recent, 200), T0 - TimeSpan.FromHours(24), CancellationToken.None);

        // "old" is free again (claimed anew, even with no expiry asked); "new" is held by its answer.
        Assert.Null(await store.ClaimAnswerAsync(old with { ClaimedAt = T0 }, DateTimeOffset.MinValue, DateTimeOffset.MinValue, CancellationToken.None));
        var held = await store.ClaimAnswerAsync(recent with { ClaimedAt = T0.AddSeconds(1) }, T0 - TimeSpan.FromHours(1), T0, CancellationToken.None);
        Assert.Equal((200, false), (held!.Status, held.IsPending));
    }

    [Fact]
    public async Task Of_many_concurrent_claims_on_one_key_from_several_instances_exactly_one_is_taken()
    {
        var first = await MigratedAsync();
        var stores = new[] { first, CreateStore(), CreateStore(), CreateStore() };

        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() =>
            stores[i % stores.Length].ClaimAnswerAsync(new IdempotencyClaim("k", "h", T0.AddMilliseconds(i)), T0.AddHours(-1), T0.AddMinutes(-10), CancellationToken.None))));

        Assert.Single(results, r => r is null);
        Assert.All(results.Where(r => r is not null), r => Assert.True(r!.IsPending));
        Assert.Single(results.Where(r => r is not null).Select(r => r!.CreatedAt).Distinct());
    }

    [Fact]
    public async Task A_released_claim_frees_the_key_and_a_claim_older_than_the_claim_timeout_no_longer_holds_it()
    {
        var store = await MigratedAsync();
        var first = new IdempotencyClaim("k", "h", T0);
        await store.ClaimAnswerAsync(first, T0.AddHours(-24), T0.AddMinutes(-10), CancellationToken.None);

        var whileHeld = await store.ClaimAnswerAsync(first with { ClaimedAt = T0.AddSeconds(1) }, T0.AddHours(-24), T0.AddMinutes(-10), CancellationToken.None);
        await store.ReleaseClaimAsync(first, CancellationToken.None);
        var afterRelease = new IdempotencyClaim("k", "h", T0.AddSeconds(2));
        var reclaimed = await store.ClaimAnswerAsync(afterRelease, T0.AddHours(-24), T0.AddMinutes(-10), CancellationToken.None);
        // Releasing the first claim again leaves the later one alone.
        await store.ReleaseClaimAsync(first, CancellationToken.None);
        var stillHeld = await store.ClaimAnswerAsync(afterRelease with { ClaimedAt = T0.AddSeconds(3) }, T0.AddHours(-24), T0.AddMinutes(-10), CancellationToken.None);
        // Eleven minutes on, with a 10-minute claim timeout, the unfinished claim is taken over.
        var later = T0.AddMinutes(11);
        var takenOver = await store.ClaimAnswerAsync(afterRelease with { ClaimedAt = later }, later.AddHours(-24), later.AddMinutes(-10), CancellationToken.None);
        // The expired claim's late answer does not overwrite the claim that took over.
        var lateSave = await store.SaveAnswerAsync(afterRelease, Answer(afterRelease, 200), later.AddHours(-24), CancellationToken.None);

        Assert.True(whileHeld!.IsPending);
        Assert.Equal(T0, whileHeld.CreatedAt);
        Assert.Null(reclaimed);
        Assert.Equal(afterRelease.ClaimedAt, stillHeld!.CreatedAt);
        Assert.Null(takenOver);
        Assert.False(lateSave);
    }

    [Fact]
    public async Task An_answer_whose_claim_expired_is_kept_when_no_other_claim_holds_the_key()
    {
        var store = await MigratedAsync();
        var claim = new IdempotencyClaim("k", "h", T0);
        await store.ClaimAnswerAsync(claim, T0.AddHours(-24), T0.AddMinutes(-10), CancellationToken.None);
        // The answer comes after its claim was cleared (older than the window the save clears):
        // no later claim holds the key, so the answer is stored as is.
        var saved = await store.SaveAnswerAsync(claim, Answer(claim, 200) with { CreatedAt = T0.AddMinutes(11) }, T0.AddMinutes(1), CancellationToken.None);

        var held = await store.ClaimAnswerAsync(claim with { ClaimedAt = T0.AddMinutes(12) }, T0.AddMinutes(1), T0.AddMinutes(2), CancellationToken.None);

        Assert.True(saved);
        Assert.Equal((200, T0.AddMinutes(11)), (held!.Status, held.CreatedAt));
    }

    [Fact]
    public async Task A_connect_state_is_taken_once_with_everything_stored()
    {
        var store = await MigratedAsync();
        var state = ConnectStateFor("h1", T0) with { TenantId = "acme", Environment = "staging" };
        await store.AddConnectStateAsync(state, T0.AddDays(-1), CancellationToken.None);

        var taken = await store.TakeConnectStateAsync("h1", CancellationToken.None);
        var again = await store.TakeConnectStateAsync("h1", CancellationToken.None);
        var unknown = await store.TakeConnectStateAsync("h2", CancellationToken.None);

        Assert.Equal(state, taken);
        Assert.Null(again);
        Assert.Null(unknown);
    }

    [Fact]
    public async Task An_expired_connect_state_is_still_taken_until_a_later_add_clears_it()
    {
        var store = await MigratedAsync();
        // Expired ten minutes after T0: taking it is the caller's to refuse; a day later an add clears it.
        await store.AddConnectStateAsync(ConnectStateFor("old", T0), T0.AddDays(-1), CancellationToken.None);
        await store.AddConnectStateAsync(ConnectStateFor("kept", T0), T0.AddDays(-1), CancellationToken.None);
        var stillThere = await store.TakeConnectStateAsync("kept", CancellationToken.None);

        await store.AddConnectStateAsync(ConnectStateFor("new", T0.AddDays(1)), T0.AddMinutes(11), CancellationToken.None);

        Assert.NotNull(stillThere);
        Assert.Null(await store.TakeConnectStateAsync("old", CancellationToken.None));
        Assert.NotNull(await store.TakeConnectStateAsync("new", CancellationToken.None));
    }

    [Fact]
    public async Task Of_many_concurrent_takes_of_one_connect_state_from_several_instances_exactly_one_gets_it()
    {
        var first = await MigratedAsync();
        var stores = new[] { first, CreateStore(), CreateStore(), CreateStore() };
        await first.AddConnectStateAsync(ConnectStateFor("h", T0), T0.AddDays(-1), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => stores[i % stores.Length].TakeConnectStateAsync("h", CancellationToken.None))));

        Assert.Single(results, r => r is not null);
    }

    private async Task<ITrutoStore> MigratedAsync()
    {
        var store = CreateStore();
        await store.MigrateAsync(CancellationToken.None);
        return store;
    }

    private static StoredToken Token(string id, string hash, DateTimeOffset at) => new(id, "n", hash, StoredAccount.DefaultEnvironment, ApiScopes.All, null, at, null);

    private static StoredAccount Account(string id, DateTimeOffset at) => new(id, "hubspot", null, StoredAccount.ActiveStatus, "{}", at);

    private static ConnectState ConnectStateFor(string hash, DateTimeOffset at)
        => new(hash, StoredAccount.DefaultEnvironment, null, "hubspot", "https://app.example.com/done", "https://truto.example.com/connect/callback", "{\"verifier\":\"v\"}", at, at.AddMinutes(10));

    private static StoredAnswer Answer(IdempotencyClaim claim, int status) => new(claim.Key, claim.RequestHash, status, "application/json", "{}", [1], claim.ClaimedAt);
}
