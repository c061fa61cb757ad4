using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Cluster;

/// <summary>
/// OAuth refresh single flight across instances: two servers on one PostgreSQL database, one account
/// whose access token expired, a loopback token endpoint that counts requests and rotates refresh tokens.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class OAuthAcrossInstancesTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private string _database = "";
    private OAuthLoopbackServer _provider = null!;

    [Fact]
    public async Task Concurrent_deletes_through_two_instances_send_one_token_request_and_store_the_rotated_refresh_token_once()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.HoldTokenAnswer = release.Task;
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var id = await first.CreateAccountAsync("hubspot", ExpiredContext());
        await CountUpdatesAsync();

        var deletes = new[]
        {
            first.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}"),
            second.Client.DeleteAsync($"/unified/crm/contacts/52?integrated_account_id={id}"),
        };
        // One instance is at the token endpoint (held there), the other waits for the account's lock.
        var piledUp = await WaitUntilAsync(async () => _provider.TokenRequests.Count >= 1 && await WaitingForLockAsync(id));
        release.SetResult();
        var answers = await Task.WhenAll(deletes);

        Assert.True(piledUp, "the second instance never waited for the account's refresh lock");
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal("refresh-0", Assert.Single(_provider.TokenRequests).Parameters["refresh_token"]);
        Assert.Equal(["Bearer access-1", "Bearer access-1"], _provider.Calls.Select(c => c.Split(' ', 3)[2]));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM account_updates WHERE id = '{id}'"));
        var stored = await second.Services.GetRequiredService<ITrutoStore>().FindAccountAsync(id, CancellationToken.None);
        Assert.Contains("\"refresh-1\"", stored!.Context, StringComparison.Ordinal);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task The_lock_of_an_account_is_held_by_one_instance_at_a_time_and_the_next_holder_reads_what_the_first_stored()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        var id = await first.CreateAccountAsync("hubspot", ExpiredContext());
        var other = await first.CreateAccountAsync("hubspot", ExpiredContext());

        var held = await first.Services.GetRequiredService<IAccountRefreshLock>().AcquireAsync(id, CancellationToken.None);
        var waiting = second.Services.GetRequiredService<IAccountRefreshLock>().AcquireAsync(id, CancellationToken.None);
        var waited = await WaitUntilAsync(() => WaitingForLockAsync(id));
        // Another account's lock is free meanwhile.
        await using (await second.Services.GetRequiredService<IAccountRefreshLock>().AcquireAsync(other, CancellationToken.None))
        {
            Assert.False(waiting.IsCompleted);
        }
        await first.Services.GetRequiredService<IAccountTokenStore>().SaveTokensAsync(id, AccountContext.Parse("""{"oauth":{"token":{"access_token":"access-9"}}}"""), CancellationToken.None);
        await held.DisposeAsync();
        await using var next = await waiting.WaitAsync(Patience);

        Assert.True(waited);
        Assert.Equal("access-9", next.StoredContext!.Find("oauth.token.access_token"));
    }

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _provider = await OAuthLoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        await postgres.DropDatabaseAsync(_database);
    }

    private static JsonObject ExpiredContext() => new()
    {
        ["oauth"] = new JsonObject
        {
            ["token"] = new JsonObject
            {
                ["access_token"] = "access-0",
                ["refresh_token"] = "refresh-0",
                ["expires_at"] = (DateTimeOffset.UtcNow - TimeSpan.FromMinutes(1)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            },
        },
    };

    private Task<TestServer> StartAsync()
        => TestServer.StartAsync(
            "--Store:Provider=postgresql",
            $"--ConnectionStrings:Truto={postgres.ConnectionString(_database)}",
            $"--Providers:hubspot:BaseUrl={_provider.Url}",
            $"--Providers:hubspot:TokenUrl={_provider.TokenUrl}",
            "--Providers:hubspot:ClientId=hubspot-client",
            "--Providers:hubspot:ClientSecret=hubspot-secret",
            "--Runtime:RetryBaseDelay=00:00:00");

    /// <summary>Records every update of an account row (test-only trigger), so "stored once" is counted by the database.</summary>
    private Task<object?> CountUpdatesAsync() => ScalarAsync("""
        CREATE TABLE account_updates (id TEXT NOT NULL);
        CREATE FUNCTION record_account_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO account_updates VALUES (NEW.id); RETURN NEW; END $$;
        CREATE TRIGGER account_updates AFTER UPDATE ON integrated_accounts FOR EACH ROW EXECUTE FUNCTION record_account_update();
        """);

    /// <summary>True when a session waits (not granted) for the account's refresh lock.</summary>
    private async Task<bool> WaitingForLockAsync(string accountId)
        => await ScalarAsync($"""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted
              AND classid = {(uint)PostgresAccountRefreshLock.LockSpace} AND objid = {(uint)PostgresAccountRefreshLock.AccountHash(accountId)} AND objsubid = 2
            """) is long and > 0;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Polls <paramref name="condition"/>; false when it did not hold within the patience (the caller asserts).</summary>
    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var until = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > until)
            {
                return false;
            }
            await Task.Delay(20);
        }
        return true;
    }
}
