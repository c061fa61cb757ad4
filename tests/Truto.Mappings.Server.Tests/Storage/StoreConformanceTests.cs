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

    [Fact]
    public async Task A_job_is_stored_with_its_ids_in_order_and_read_with_its_counts()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();

        await jobs.CreateJobAsync(Job("j1", T0) with { TenantId = "acme", RemoteData = "{\"a\":1}", CallbackUrl = "https://hooks.example.com/x" }, ["c3", "c1", "c2"], CancellationToken.None);
        var job = await jobs.FindJobAsync("j1", CancellationToken.None);
        var items = await jobs.ListJobItemsAsync("j1", CancellationToken.None);

        Assert.NotNull(job);
        Assert.Equal(("staging", "acme", "acc-1", BatchJobStatus.Queued, "?integrated_account_id=acc-1", "{\"a\":1}", "https://hooks.example.com/x"),
            (job.Environment, job.TenantId, job.AccountId, job.Status, job.Query, job.RemoteData, job.CallbackUrl));
        Assert.Equal(T0, job.CreatedAt);
        Assert.Equal(T0, job.UpdatedAt);
        Assert.Null(job.StartedAt);
        Assert.False(job.IsFinished);
        Assert.Equal(new BatchJobCounts(3, 0, 0, 0, 3), job.Counts);
        Assert.Equal(["c3", "c1", "c2"], items.Select(i => i.ContactId));
        Assert.Equal([0, 1, 2], items.Select(i => i.Position));
        Assert.All(items, i => Assert.Equal(BatchJobStatus.ItemPending, i.State));
        Assert.Null(await jobs.FindJobAsync("unknown", CancellationToken.None));
    }

    [Fact]
    public async Task A_claimed_job_is_held_by_its_worker_until_its_lease_ends_and_then_taken_over_with_its_in_flight_ids_pending_again()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        var other = (IBatchJobStore)CreateStore();
        await jobs.CreateJobAsync(Job("j1", T0), ["a", "b", "c", "d"], CancellationToken.None);

        var claimed = await jobs.ClaimJobAsync("w1", T0, T0.AddSeconds(30), CancellationToken.None);
        var taken = await jobs.TakePendingItemsAsync("j1", "w1", 2, T0, CancellationToken.None);
        await jobs.RecordOutcomesAsync("j1", [taken[0] with { State = BatchJobStatus.ItemDeleted, Outcome = "{\"id\":\"a\"}" }], T0, CancellationToken.None);
        var whileHeld = await other.ClaimJobAsync("w2", T0.AddSeconds(29), T0.AddSeconds(59), CancellationToken.None);
        var notHolder = await other.TakePendingItemsAsync("j1", "w2", 2, T0, CancellationToken.None);
        var takenOver = await other.ClaimJobAsync("w2", T0.AddSeconds(31), T0.AddSeconds(61), CancellationToken.None);
        var renewedByLoser = await jobs.RenewLeaseAsync("j1", "w1", T0.AddSeconds(32), T0.AddSeconds(62), CancellationToken.None);
        var next = await other.TakePendingItemsAsync("j1", "w2", 10, T0.AddSeconds(31), CancellationToken.None);
        var lateForLoser = await jobs.TakePendingItemsAsync("j1", "w1", 10, T0.AddSeconds(32), CancellationToken.None);

        Assert.Equal(("j1", BatchJobStatus.Running, "w1", T0.AddSeconds(30), T0), (claimed!.Id, claimed.Status, claimed.LockedBy, claimed.LeaseUntil, claimed.StartedAt));
        Assert.Equal(["a", "b"], taken.Select(i => i.ContactId));
        Assert.Null(whileHeld);
        Assert.Empty(notHolder);
        Assert.Equal(("w2", T0.AddSeconds(61), T0), (takenOver!.LockedBy, takenOver.LeaseUntil, takenOver.StartedAt));
        Assert.False(renewedByLoser);
        // "a" was answered and is never handed out again; "b" was in flight and is pending again.
        Assert.Equal(["b", "c", "d"], next.Select(i => i.ContactId));
        Assert.Empty(lateForLoser);
    }

    [Fact]
    public async Task Concurrent_claims_never_take_the_same_job()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        for (var i = 0; i < 4; i++)
        {
            await jobs.CreateJobAsync(Job("j" + i, T0.AddSeconds(i)), ["x"], CancellationToken.None);
        }
        var stores = Enumerable.Range(0, 6).Select(_ => (IBatchJobStore)CreateStore()).ToList();

        var claims = await Task.WhenAll(stores.Select((s, i) => Task.Run(() => s.ClaimJobAsync("w" + i, T0.AddMinutes(1), T0.AddMinutes(2), CancellationToken.None))));

        var taken = claims.OfType<BatchJob>().Select(j => j.Id).ToList();
        Assert.Equal(["j0", "j1", "j2", "j3"], taken.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_outcome_is_kept_once_and_the_job_finishes_with_the_status_its_outcomes_give()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        await jobs.CreateJobAsync(Job("j1", T0) with { CallbackUrl = "https://hooks.example.com/x" }, ["a", "b", "c"], CancellationToken.None);
        await jobs.ClaimJobAsync("w1", T0, T0.AddSeconds(30), CancellationToken.None);
        var items = await jobs.TakePendingItemsAsync("j1", "w1", 3, T0, CancellationToken.None);

        await jobs.RecordOutcomesAsync("j1", [items[0] with { State = BatchJobStatus.ItemDeleted, Outcome = "{\"id\":\"a\"}" },
            items[1] with { State = BatchJobStatus.ItemFailed, Outcome = "{\"id\":\"b\",\"chunk\":1}", ChunkKey = "s:1", ChunkError = "{\"chunk\":1}" }], T0, CancellationToken.None);
        var early = await jobs.FinishJobIfDoneAsync("j1", T0, CancellationToken.None);
        // A second answer for "a" (a worker that lost its lease) does not replace the first.
        await jobs.RecordOutcomesAsync("j1", [items[0] with { State = BatchJobStatus.ItemFailed, Outcome = "{}" }, items[2] with { State = BatchJobStatus.ItemDeleted, Outcome = "{\"id\":\"c\"}" }],
            T0.AddSeconds(1), CancellationToken.None);
        var status = await jobs.FinishJobIfDoneAsync("j1", T0.AddSeconds(2), CancellationToken.None);
        var again = await jobs.FinishJobIfDoneAsync("j1", T0.AddSeconds(3), CancellationToken.None);
        var job = await jobs.FindJobAsync("j1", CancellationToken.None);
        var stored = await jobs.ListJobItemsAsync("j1", CancellationToken.None);
        var cancelFinished = await jobs.CancelJobAsync("j1", T0.AddSeconds(4), CancellationToken.None);
        await jobs.SetCallbackStateAsync("j1", BatchJobStatus.CallbackFailed, 3, "HTTP 500", T0.AddSeconds(5), CancellationToken.None);
        var afterCallback = await jobs.FindJobAsync("j1", CancellationToken.None);

        Assert.Null(early);
        Assert.Equal(BatchJobStatus.PartiallyFailed, status);
        Assert.Null(again);
        Assert.Equal((BatchJobStatus.PartiallyFailed, T0.AddSeconds(2), BatchJobStatus.CallbackPending), (job!.Status, job.FinishedAt, job.CallbackStatus));
        Assert.Equal(new BatchJobCounts(3, 2, 1, 0, 0), job.Counts);
        Assert.Equal([BatchJobStatus.ItemDeleted, BatchJobStatus.ItemFailed, BatchJobStatus.ItemDeleted], stored.Select(i => i.State));
        Assert.Equal("{\"id\":\"a\"}", stored[0].Outcome);
        Assert.Equal(("s:1", "{\"chunk\":1}"), (stored[1].ChunkKey, stored[1].ChunkError));
        Assert.False(cancelFinished);
        Assert.Equal((BatchJobStatus.CallbackFailed, 3, "HTTP 500", T0.AddSeconds(5)), (afterCallback!.CallbackStatus, afterCallback.CallbackAttempts, afterCallback.CallbackError, afterCallback.UpdatedAt));
    }

    [Fact]
    public async Task Cancelling_makes_pending_ids_cancelled_lets_ids_in_flight_finish_and_a_released_job_is_claimable_at_once()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        await jobs.CreateJobAsync(Job("j1", T0), ["a", "b", "c"], CancellationToken.None);
        await jobs.CreateJobAsync(Job("j2", T0.AddSeconds(1)), ["x", "y"], CancellationToken.None);
        await jobs.ClaimJobAsync("w1", T0, T0.AddSeconds(30), CancellationToken.None);
        var inFlight = await jobs.TakePendingItemsAsync("j1", "w1", 1, T0, CancellationToken.None);

        var cancelled = await jobs.CancelJobAsync("j1", T0.AddSeconds(1), CancellationToken.None);
        var whileInFlight = await jobs.FinishJobIfDoneAsync("j1", T0.AddSeconds(1), CancellationToken.None);
        await jobs.RecordOutcomesAsync("j1", [inFlight[0] with { State = BatchJobStatus.ItemDeleted, Outcome = "{}" }], T0.AddSeconds(2), CancellationToken.None);
        var status = await jobs.FinishJobIfDoneAsync("j1", T0.AddSeconds(2), CancellationToken.None);
        var job = await jobs.FindJobAsync("j1", CancellationToken.None);

        // A released job (graceful shutdown) is taken by the next claim before its lease would have ended.
        await jobs.ClaimJobAsync("w1", T0.AddSeconds(3), T0.AddSeconds(33), CancellationToken.None);
        await jobs.TakePendingItemsAsync("j2", "w1", 1, T0.AddSeconds(3), CancellationToken.None);
        await jobs.ReleaseJobAsync("j2", "w1", T0.AddSeconds(4), CancellationToken.None);
        var reclaimed = await jobs.ClaimJobAsync("w2", T0.AddSeconds(5), T0.AddSeconds(35), CancellationToken.None);
        var resumed = await jobs.TakePendingItemsAsync("j2", "w2", 10, T0.AddSeconds(5), CancellationToken.None);

        Assert.True(cancelled);
        Assert.Null(whileInFlight);
        Assert.Equal(BatchJobStatus.Cancelled, status);
        Assert.True(job!.CancelRequested);
        Assert.Null(job.CallbackStatus);
        Assert.Equal(new BatchJobCounts(3, 1, 0, 2, 0), job.Counts);
        Assert.Equal(("j2", "w2"), (reclaimed!.Id, reclaimed.LockedBy));
        Assert.Equal(["x", "y"], resumed.Select(i => i.ContactId));
    }

    [Fact]
    public async Task A_finished_job_with_its_callback_pending_is_claimed_again_until_the_callback_is_settled()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        await jobs.CreateJobAsync(Job("j1", T0) with { CallbackUrl = "https://hooks.example.com/x" }, ["a"], CancellationToken.None);
        await jobs.ClaimJobAsync("w1", T0, T0.AddSeconds(30), CancellationToken.None);
        var items = await jobs.TakePendingItemsAsync("j1", "w1", 1, T0, CancellationToken.None);
        await jobs.RecordOutcomesAsync("j1", [items[0] with { State = BatchJobStatus.ItemDeleted, Outcome = "{}" }], T0, CancellationToken.None);
        await jobs.FinishJobIfDoneAsync("j1", T0, CancellationToken.None);

        // Its worker died before delivering: after the lease the callback is still owed.
        var owed = await jobs.ClaimJobAsync("w2", T0.AddSeconds(31), T0.AddSeconds(61), CancellationToken.None);
        await jobs.SetCallbackStateAsync("j1", BatchJobStatus.CallbackDelivered, 1, null, T0.AddSeconds(32), CancellationToken.None);
        await jobs.ReleaseJobAsync("j1", "w2", T0.AddSeconds(32), CancellationToken.None);
        var settled = await jobs.ClaimJobAsync("w3", T0.AddSeconds(33), T0.AddSeconds(63), CancellationToken.None);

        Assert.Equal((BatchJobStatus.Succeeded, "w2"), (owed!.Status, owed.LockedBy));
        Assert.Null(settled);
    }

    [Fact]
    public async Task Finished_jobs_older_than_the_cutoff_are_deleted_with_their_ids_and_unfinished_or_owing_a_callback_are_kept()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        await FinishedJobAsync(jobs, Job("old", T0), T0);
        await FinishedJobAsync(jobs, Job("recent", T0), T0.AddDays(2));
        await FinishedJobAsync(jobs, Job("owes-callback", T0) with { CallbackUrl = "https://hooks.example.com/x" }, T0);
        await FinishedJobAsync(jobs, Job("callback-failed", T0) with { CallbackUrl = "https://hooks.example.com/x" }, T0);
        await jobs.SetCallbackStateAsync("callback-failed", BatchJobStatus.CallbackFailed, 4, "HTTP 500", T0, CancellationToken.None);
        await jobs.CreateJobAsync(Job("unfinished", T0.AddDays(-30)), ["x"], CancellationToken.None);

        var deleted = await jobs.DeleteFinishedJobsAsync(T0.AddDays(1), CancellationToken.None);
        var again = await jobs.DeleteFinishedJobsAsync(T0.AddDays(1), CancellationToken.None);

        Assert.Equal((2, 0), (deleted, again));
        Assert.Null(await jobs.FindJobAsync("old", CancellationToken.None));
        Assert.Null(await jobs.FindJobAsync("callback-failed", CancellationToken.None));
        Assert.Empty(await jobs.ListJobItemsAsync("old", CancellationToken.None));
        Assert.Empty(await jobs.ListJobItemsAsync("callback-failed", CancellationToken.None));
        Assert.NotNull(await jobs.FindJobAsync("recent", CancellationToken.None));
        Assert.NotNull(await jobs.FindJobAsync("owes-callback", CancellationToken.None));
        Assert.Equal(["x"], (await jobs.ListJobItemsAsync("unfinished", CancellationToken.None)).Select(i => i.ContactId));
        Assert.Single(await jobs.ListJobItemsAsync("recent", CancellationToken.None));
    }

    [Fact]
    public async Task A_lease_taken_over_counts_a_failed_attempt_a_lease_given_back_does_not_and_a_counted_failure_adds_one()
    {
        var jobs = (IBatchJobStore)await MigratedAsync();
        await jobs.CreateJobAsync(Job("j1", T0), ["a"], CancellationToken.None);

        var first = await jobs.ClaimJobAsync("w1", T0, T0.AddSeconds(30), CancellationToken.None);
        var takenOver = await jobs.ClaimJobAsync("w2", T0.AddSeconds(31), T0.AddSeconds(61), CancellationToken.None);
        await jobs.ReleaseJobAsync("j1", "w2", T0.AddSeconds(32), CancellationToken.None);
        var afterRelease = await jobs.ClaimJobAsync("w3", T0.AddSeconds(33), T0.AddSeconds(63), CancellationToken.None);
        var counted = await jobs.CountFailedAttemptAsync("j1", T0.AddSeconds(34), CancellationToken.None);
        var unknown = await jobs.CountFailedAttemptAsync("unknown", T0.AddSeconds(34), CancellationToken.None);
        var job = await jobs.FindJobAsync("j1", CancellationToken.None);

        Assert.Equal((0, 1, 1), (first!.FailedAttempts, takenOver!.FailedAttempts, afterRelease!.FailedAttempts));
        Assert.Equal((2, 0), (counted, unknown));
        Assert.Equal((2, T0.AddSeconds(34)), (job!.FailedAttempts, job.UpdatedAt));
    }

    /// <summary>Creates <paramref name="job"/> with one id, answers it and finishes it at <paramref name="finishedAt"/>.</summary>
    private static async Task FinishedJobAsync(IBatchJobStore jobs, BatchJob job, DateTimeOffset finishedAt)
    {
        await jobs.CreateJobAsync(job, ["c-" + job.Id], CancellationToken.None);
        await jobs.RecordOutcomesAsync(job.Id, [new BatchJobItem(0, "c-" + job.Id, BatchJobStatus.ItemDeleted, "{}")], finishedAt, CancellationToken.None);
        Assert.NotNull(await jobs.FinishJobIfDoneAsync(job.Id, finishedAt, CancellationToken.None));
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

    private static BatchJob Job(string id, DateTimeOffset at) => new(id, "staging", null, "acc-1", BatchJobStatus.Queued, "?integrated_account_id=acc-1", null, at);

    private static StoredAnswer Answer(IdempotencyClaim claim, int status) => new(claim.Key, claim.RequestHash, status, "application/json", "{}", [1], claim.ClaimedAt);
}
