using System.Net;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;
using static Truto.Mappings.Server.Tests.Infrastructure.JobApi;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// Batch-delete jobs across instances sharing one PostgreSQL database: a job whose worker stopped
/// heartbeating is taken over when its lease ends, and instances working side by side never send an id twice.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresBatchJobTests(PostgresServer postgres) : IAsyncLifetime
{
    private string _database = "";
    private FanOutProvider _provider = null!;
    private TestServer _api = null!;

    private string ConnectionString => postgres.ConnectionString(_database);

    [Fact]
    public async Task A_job_whose_worker_died_is_taken_over_when_its_lease_ends_and_answered_ids_are_not_sent_again()
    {
        var account = await _api.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(300, 6);
        using var started = await StartAsync(_api.Client, account, ids);
        // A worker of an instance that then died: it answered two ids, had two in flight, and stopped heartbeating.
        await using var dead = new PostgresTrutoStore(ConnectionString);
        var now = DateTimeOffset.UtcNow;
        var claimed = await dead.ClaimJobAsync("dead-instance/0", now, now.AddSeconds(1), CancellationToken.None);
        var answered = await dead.TakePendingItemsAsync(claimed!.Id, "dead-instance/0", 2, now, CancellationToken.None);
        await dead.RecordOutcomesAsync(claimed.Id, [.. answered.Select(i => i with { State = BatchJobStatus.ItemDeleted, Outcome = $"{{\"id\":\"{i.ContactId}\"}}" })], now, CancellationToken.None);
        await dead.TakePendingItemsAsync(claimed.Id, "dead-instance/0", 2, now, CancellationToken.None);

        await using var worker = await StartInstanceAsync("--Jobs:Workers=1", "--Jobs:PollInterval=00:00:00.050");
        var job = await PollAsync(_api.Client, started.Headers.Location!);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(ids, job["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal(["cont_300", "cont_301"], answered.Select(i => i.ContactId));
        Assert.False(_provider.Calls.ContainsKey("cont_300"));
        Assert.False(_provider.Calls.ContainsKey("cont_301"));
        Assert.All(ids.Skip(2), id => Assert.Equal(1, _provider.Calls[id]));
        var row = await dead.FindJobAsync(claimed.Id, CancellationToken.None);
        Assert.NotEqual("dead-instance/0", row!.LockedBy);
    }

    [Fact]
    public async Task Instances_working_side_by_side_share_the_jobs_and_send_every_id_once()
    {
        var account = await _api.CreateAccountAsync("close", _provider.Context());
        await using var first = await StartInstanceAsync("--Jobs:Workers=2", "--Jobs:SliceSize=3", "--Jobs:PollInterval=00:00:00.050");
        await using var second = await StartInstanceAsync("--Jobs:Workers=2", "--Jobs:SliceSize=3", "--Jobs:PollInterval=00:00:00.050");
        var batches = Enumerable.Range(0, 4).Select(i => Ids(400 + (i * 10), 7)).ToList();
        var sync = await SyncAsync(_api.Client, account, Ids(500, 7));

        var locations = new List<Uri>();
        foreach (var ids in batches)
        {
            using var started = await StartAsync(_api.Client, account, ids);
            locations.Add(started.Headers.Location!);
        }
        var jobs = new List<System.Text.Json.Nodes.JsonObject>();
        foreach (var location in locations)
        {
            jobs.Add(await PollAsync(second.Client, location));
        }

        Assert.All(jobs, j => Assert.Equal("succeeded", (string?)j["status"]));
        Assert.All(batches.SelectMany(b => b), id => Assert.Equal(1, _provider.Calls[id]));
        // The same body as the synchronous call for 7 ids (the ids differ, the shape does not).
        Assert.Equal(sync.Body.Replace("cont_50", "cont_40", StringComparison.Ordinal), WriteResponse(jobs[0]));
    }

    [Fact]
    public async Task A_job_whose_workers_keep_dying_is_given_up_at_Jobs_MaxAttempts_by_the_next_claim_without_sending_its_ids()
    {
        var account = await _api.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(600, 3);
        using var started = await StartAsync(_api.Client, account, ids);
        // Three workers that each took the job and died (their leases ran out): three failed attempts.
        await using var dead = new PostgresTrutoStore(ConnectionString);
        var now = DateTimeOffset.UtcNow.AddMinutes(-10);
        for (var i = 0; i < 3; i++)
        {
            await dead.ClaimJobAsync($"dead-instance-{i}/0", now.AddSeconds(i * 2), now.AddSeconds((i * 2) + 1), CancellationToken.None);
        }

        await using var worker = await StartInstanceAsync("--Jobs:Workers=1", "--Jobs:MaxAttempts=3", "--Jobs:PollInterval=00:00:00.050");
        var job = await PollAsync(_api.Client, started.Headers.Location!);

        Assert.Equal("failed", (string?)job["status"]);
        var errors = job["response"]!["errors"]!.AsArray();
        Assert.Equal(ids, errors.Select(e => (string)e!["id"]!));
        Assert.All(errors, e => Assert.Equal(
            $"The batch-delete job {job["id"]} was given up after 3 failed attempts (Jobs:MaxAttempts; last: its worker stopped without finishing it); this id was not sent.",
            (string?)e!["message"]));
        Assert.All(ids, id => Assert.False(_provider.Calls.ContainsKey(id)));
    }

    private static string WriteResponse(System.Text.Json.Nodes.JsonObject job) => Truto.Mappings.Server.Jobs.JobJson.Write(job["response"]!);

    /// <summary>Another instance on the same database and key ring.</summary>
    private Task<TestServer> StartInstanceAsync(params string[] args)
        => TestServer.StartAsync(
            ["--Store:Provider=postgresql", $"--ConnectionStrings:Truto={ConnectionString}", $"--DataProtection:KeysFolder={Path.Combine(_api.Directory, "keys")}", _provider.AllowArgument(), .. args]);

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _provider = await FanOutProvider.StartAsync();
        // The instance callers talk to runs no jobs itself: workers elsewhere take them.
        _api = await TestServer.StartAsync("--Store:Provider=postgresql", $"--ConnectionStrings:Truto={ConnectionString}", "--Jobs:Workers=0", _provider.AllowArgument());
    }

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        await _provider.DisposeAsync();
        await postgres.DropDatabaseAsync(_database);
    }
}
