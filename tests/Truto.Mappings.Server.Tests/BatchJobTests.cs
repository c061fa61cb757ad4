using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Jobs;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

using static Truto.Mappings.Server.Tests.Infrastructure.JobApi;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// Durable batch-delete jobs (<c>Prefer: respond-async</c>) over real HTTP against a loopback
/// Close simulator that fans out one call per id, on the SQLite store.
/// </summary>
public sealed class BatchJobTests : IAsyncLifetime
{
    private const string Secret = "test-callback-signing-secret-0123456789";

    private FanOutProvider _provider = null!;
    private TestServer _server = null!;
    private string _account = "";

    [Fact]
    public async Task A_job_answers_202_with_Location_and_finishes_with_the_body_the_synchronous_call_gives()
    {
        var ids = Ids(1, 12);
        var sync = await JobApi.SyncAsync(_server.Client, _account, ids);

        using var started = await StartAsync(_server.Client, _account, ids);
        var accepted = await ReadAsync(started);
        var job = await PollAsync(_server.Client, started.Headers.Location!);

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal($"/unified/crm/contacts/batch-delete/jobs/{accepted["id"]}", started.Headers.Location!.OriginalString);
        Assert.Equal("respond-async", started.Headers.GetValues("Preference-Applied").Single());
        Assert.Equal(_account, (string?)accepted["integrated_account_id"]);
        Assert.Equal(12, (int)accepted["counts"]!["total"]!);
        Assert.Null(accepted["response"]);
        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(1.0, (double)job["progress"]!);
        Assert.Equal(12, (int)job["counts"]!["deleted"]!);
        Assert.Equal(0, (int)job["counts"]!["pending"]!);
        Assert.NotNull(job["started_at"]);
        Assert.NotNull(job["finished_at"]);
        Assert.Equal(200, (int)job["response_status"]!);
        Assert.Equal(sync.Body, JobJson.Write(job["response"]!));
        // Each id once by the sync call, once by the job.
        Assert.All(ids, id => Assert.Equal(2, _provider.Calls[id]));
    }

    [Fact]
    public async Task A_partially_failed_job_lists_every_id_once_as_the_synchronous_call_does()
    {
        var ids = Ids(20, 9);
        _provider.Missing["cont_22"] = true;
        _provider.Missing["cont_27"] = true;
        var sync = await JobApi.SyncAsync(_server.Client, _account, ids);

        using var started = await StartAsync(_server.Client, _account, ids);
        var job = await PollAsync(_server.Client, started.Headers.Location!);

        Assert.Equal("partially_failed", (string?)job["status"]);
        Assert.Equal(7, (int)job["counts"]!["deleted"]!);
        Assert.Equal(2, (int)job["counts"]!["failed"]!);
        Assert.Equal(sync.Body, JobJson.Write(job["response"]!));
        Assert.Equal(["cont_22", "cont_27"], job["response"]!["errors"]!.AsArray().Select(e => (string)e!["id"]!));
    }

    [Fact]
    public async Task A_job_where_nothing_was_deleted_fails_with_the_synchronous_envelope()
    {
        var ids = Ids(40, 3);
        foreach (var id in ids)
        {
            _provider.Missing[id] = true;
        }
        var sync = await JobApi.SyncAsync(_server.Client, _account, ids);

        using var started = await StartAsync(_server.Client, _account, ids);
        var job = await PollAsync(_server.Client, started.Headers.Location!);

        Assert.Equal("failed", (string?)job["status"]);
        Assert.Equal(sync.Status, (int)job["response_status"]!);
        Assert.Equal(sync.Body, JobJson.Write(job["response"]!));
    }

    [Theory]
    [InlineData("{\"id\": []}")]
    [InlineData("{\"id\": \"1\"}")]
    [InlineData("{\"id\": [\"cont_1\"], \"remote_data\": [1]}")]
    [InlineData("[1, 2]")]
    public async Task A_body_the_synchronous_call_refuses_is_refused_the_same_way_before_any_job_exists(string body)
    {
        using var sync = await _server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={_account}", JobApi.Json(body));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = JobApi.Json(body) };
        request.Headers.Add("Prefer", "respond-async");

        using var async = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, async.StatusCode);
        Assert.Equal(await sync.Content.ReadAsStringAsync(), await async.Content.ReadAsStringAsync());
        Assert.Null(async.Headers.Location);
        Assert.Empty(_provider.Calls);
    }

    [Theory]
    [InlineData("\"http://example.com/hook\"", "https")]
    [InlineData("\"https://10.0.0.7/hook\"", "private")]
    [InlineData("\"https://127.0.0.1:9/hook\"", "loopback")]
    [InlineData("\"https://localhost/hook\"", "localhost")]
    [InlineData("\"not a url\"", "absolute https URL")]
    [InlineData("42", "must be a string")]
    public async Task A_callback_url_the_egress_policy_refuses_is_a_400_naming_callback_url(string callback, string messagePart)
    {
        using var started = await StartAsync(_server.Client, _account, ["cont_1"], $"\"callback_url\": {callback}");
        var text = await started.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, started.StatusCode);
        Assert.Equal("callback_url", (string?)JsonNode.Parse(text)!["details"]!["failures"]![0]!["field"]);
        Assert.Contains(messagePart, text, StringComparison.Ordinal);
        Assert.Empty(_provider.Calls);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_gives_the_same_job_and_a_synchronous_request_with_it_is_a_conflict()
    {
        var ids = Ids(60, 2);
        using var first = await StartAsync(_server.Client, _account, ids, idempotencyKey: "job-key-1");
        var firstBody = await first.Content.ReadAsStringAsync();
        using var second = await StartAsync(_server.Client, _account, ids, idempotencyKey: "job-key-1");
        using var syncRequest = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}")
        {
            Content = JobApi.Json(new JsonObject { ["id"] = new JsonArray([.. ids.Select(i => (JsonNode)i)]) }.ToJsonString()),
        };
        syncRequest.Headers.Add("Idempotency-Key", "job-key-1");
        using var sync = await _server.Client.SendAsync(syncRequest);
        await PollAsync(_server.Client, first.Headers.Location!);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.Conflict, sync.StatusCode);
        Assert.All(ids, id => Assert.Equal(1, _provider.Calls[id]));
    }

    [Fact]
    public async Task A_respond_async_replay_after_the_job_finished_is_the_first_202_byte_for_byte_and_Location_shows_the_job_now()
    {
        var ids = Ids(64, 3);
        using var first = await StartAsync(_server.Client, _account, ids, idempotencyKey: "job-key-2");
        var firstBody = await first.Content.ReadAsStringAsync();
        var finished = await PollAsync(_server.Client, first.Headers.Location!);

        using var replay = await StartAsync(_server.Client, _account, ids, idempotencyKey: "job-key-2");

        // The kept answer: the job as created (queued), not as it is now (succeeded); Location has that.
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
        Assert.Equal("queued", (string?)JsonNode.Parse(firstBody)!["status"]);
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        Assert.Equal("respond-async", replay.Headers.GetValues("Preference-Applied").Single());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Content.Headers.ContentType, replay.Content.Headers.ContentType);
        Assert.Equal("succeeded", (string?)finished["status"]);
        Assert.All(ids, id => Assert.Equal(1, _provider.Calls[id]));
    }

    [Fact]
    public async Task Each_provider_call_s_outcome_is_written_as_it_answers_while_the_rest_of_its_slice_is_in_flight()
    {
        await using var server = await TestServer.StartAsync("--Jobs:SliceSize=3", "--Jobs:Workers=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(200, 3);
        _provider.HoldOnly["cont_202"] = true;
        using var started = await StartAsync(server.Client, account, ids);
        await FanOutProvider.WaitForAsync(() => _provider.Held == 1 && _provider.Answered.Count == 2, "two calls of the slice answered, the third held");

        // The slice is still in flight (one call held), yet the two answered ids are written.
        JsonObject running = [];
        for (var written = false; !written;)
        {
            using var poll = await server.Client.GetAsync(started.Headers.Location);
            running = await ReadAsync(poll);
            written = (int)running["counts"]!["deleted"]! == 2;
            if (!written)
            {
                await Task.Delay(20);
            }
        }
        var stillHeld = _provider.Held;
        _provider.Release();
        var job = await PollAsync(server.Client, started.Headers.Location!);

        Assert.Equal(1, stillHeld);
        Assert.Equal("running", (string?)running["status"]);
        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(3, (int)job["counts"]!["deleted"]!);
        Assert.Equal(ids, job["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task Cancelling_a_running_job_reports_ids_not_yet_sent_as_cancelled_and_lets_ids_in_flight_finish()
    {
        await using var server = await TestServer.StartAsync("--Jobs:SliceSize=2", "--Jobs:Workers=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(100, 10);
        _provider.Hold();
        using var started = await StartAsync(server.Client, account, ids);
        await FanOutProvider.WaitForAsync(() => _provider.Held == 2, "the first slice in flight");

        using var cancel = await server.Client.DeleteAsync(started.Headers.Location);
        var cancelling = await ReadAsync(cancel);
        _provider.Release();
        var job = await PollAsync(server.Client, started.Headers.Location!);
        using var again = await server.Client.DeleteAsync(started.Headers.Location);

        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.True((bool)cancelling["cancel_requested"]!);
        Assert.Equal(8, (int)cancelling["counts"]!["cancelled"]!);
        Assert.Equal("cancelled", (string?)job["status"]);
        Assert.Equal(2, (int)job["counts"]!["deleted"]!);
        Assert.Equal(8, (int)job["counts"]!["cancelled"]!);
        var response = job["response"]!;
        Assert.Equal(["cont_100", "cont_101"], response["result"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal(ids.Skip(2), response["errors"]!.AsArray().Select(e => (string)e!["id"]!));
        Assert.All(response["errors"]!.AsArray(), e => Assert.True((bool)e!["cancelled"]!));
        Assert.Equal(["cont_100", "cont_101"], _provider.Calls.Keys.Order());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(409, (int)(await ReadAsync(again))["statusCode"]!);
    }

    [Fact]
    public async Task A_job_of_another_tenant_or_environment_is_a_404_identical_to_an_unknown_id()
    {
        using var started = await StartAsync(_server.Client, _account, Ids(70, 1));
        var location = started.Headers.Location!.OriginalString;
        var id = location[(location.LastIndexOf('/') + 1)..];
        var otherTenant = await _server.ClientWithTokenAsync(ApiScopes.Unified, tenant: "globex");
        var otherEnvironment = await _server.ClientWithTokenAsync(ApiScopes.Unified, environment: "staging");
        var sameTenant = await _server.ClientWithTokenAsync(ApiScopes.Unified, tenant: "acme");
        var noScope = await _server.ClientWithTokenAsync(ApiScopes.AccountsRead);
        var unknown = location.Replace(id, Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var unknownAnswer = await _server.Client.GetAsync(unknown);
        var unknownText = (await unknownAnswer.Content.ReadAsStringAsync()).Replace(unknown[(unknown.LastIndexOf('/') + 1)..], id, StringComparison.Ordinal);

        foreach (var (client, method) in new[] { (otherTenant, HttpMethod.Get), (otherEnvironment, HttpMethod.Get), (otherTenant, HttpMethod.Delete) })
        {
            using var answer = await client.SendAsync(new HttpRequestMessage(method, location));
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal(unknownText, await answer.Content.ReadAsStringAsync());
        }
        using var own = await sameTenant.GetAsync(location);
        using var forbidden = await noScope.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await PollAsync(_server.Client, started.Headers.Location!);
    }

    [Fact]
    public async Task The_finished_job_is_posted_to_its_callback_url_with_a_signature_the_receiver_can_verify()
    {
        await using var receiver = await CallbackReceiver.StartAsync();
        await using var server = await TestServer.StartAsync($"--Jobs:CallbackSigningSecret={Secret}", _provider.AllowArgument(), receiver.AllowArgument(1));
        var account = await server.CreateAccountAsync("close", _provider.Context());

        using var started = await StartAsync(server.Client, account, Ids(80, 3), $"\"callback_url\": \"{receiver.Url}hook?token=abc\"");
        var delivery = await receiver.NextAsync();
        var job = await PollAsync(server.Client, started.Headers.Location!, j => (string?)j["callback"]?["status"] == "delivered");

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("/hook?token=abc", delivery.PathAndQuery);
        Assert.True(CallbackSignature.Verify(Secret, delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify("another-secret-of-at-least-32-characters", delivery.Signature, delivery.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var posted = JsonNode.Parse(delivery.Body)!.AsObject();
        Assert.Equal("succeeded", (string?)posted["status"]);
        // The callback carries the job without its callback member; everything else is what GET shows.
        Assert.False(posted.ContainsKey("callback"));
        Assert.Equal(job.Select(m => m.Key).Where(k => k != "callback"), posted.Select(m => m.Key));
        Assert.Equal(JobJson.Write(job["response"]!), JobJson.Write(posted["response"]!));
        Assert.Equal((string?)job["finished_at"], (string?)posted["finished_at"]);
        Assert.Equal(3, posted["response"]!["result"]!.AsArray().Count);
        Assert.Equal(1, (int)job["callback"]!["attempts"]!);
        Assert.DoesNotContain("token=abc", job.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_url_without_a_configured_signing_secret_is_a_400()
    {
        using var started = await StartAsync(_server.Client, _account, ["cont_1"], "\"callback_url\": \"https://hooks.example.com/x\"");

        Assert.Equal(HttpStatusCode.BadRequest, started.StatusCode);
        Assert.Contains("Jobs:CallbackSigningSecret", await started.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_whose_account_needs_reauthorisation_fails_its_remaining_ids_with_the_synchronous_401()
    {
        await using var server = await TestServer.StartAsync("--Jobs:SliceSize=2", "--Jobs:Workers=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(150, 4);
        _provider.Hold();
        using var started = await StartAsync(server.Client, account, ids);
        await FanOutProvider.WaitForAsync(() => _provider.Held == 2, "the first slice in flight");

        // What the OAuth refresh does when the provider refuses the refresh token.
        var store = server.Services.GetRequiredService<ITrutoStore>();
        var stored = (await store.FindAccountAsync(account, CancellationToken.None))!;
        await store.UpdateAccountAsync(stored with { Status = StoredAccount.NeedsReauthStatus, StatusMessage = "invalid_grant", StatusAt = DateTimeOffset.UtcNow }, CancellationToken.None);
        _provider.Release();
        var job = await PollAsync(server.Client, started.Headers.Location!);
        using var sync = await server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={account}", JobApi.Json("{\"id\": [\"cont_1\"]}"));
        var syncAnswer = await ReadAsync(sync);

        Assert.Equal("partially_failed", (string?)job["status"]);
        var errors = job["response"]!["errors"]!.AsArray();
        Assert.Equal(ids.Skip(2), errors.Select(e => (string)e!["id"]!));
        Assert.All(errors, e => Assert.Equal(401, (int)e!["statusCode"]!));
        Assert.All(errors, e => Assert.Equal((string?)syncAnswer["message"], (string?)e!["message"]));
        Assert.Equal(["cont_150", "cont_151"], _provider.Calls.Keys.Order());
    }

    [Fact]
    public async Task A_job_whose_account_is_deleted_fails_its_remaining_ids_with_the_synchronous_404()
    {
        await using var server = await TestServer.StartAsync("--Jobs:SliceSize=2", "--Jobs:Workers=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(90, 6);
        _provider.Hold();
        using var started = await StartAsync(server.Client, account, ids);
        await FanOutProvider.WaitForAsync(() => _provider.Held == 2, "the first slice in flight");

        using var deleted = await server.Client.DeleteAsync($"/integrated-account/{account}");
        _provider.Release();
        var job = await PollAsync(server.Client, started.Headers.Location!);
        using var sync = await server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={account}", JobApi.Json("{\"id\": [\"cont_1\"]}"));
        var syncMessage = (string?)(await ReadAsync(sync))["message"];

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("partially_failed", (string?)job["status"]);
        Assert.Equal(2, (int)job["counts"]!["deleted"]!);
        var errors = job["response"]!["errors"]!.AsArray();
        Assert.Equal(ids.Skip(2), errors.Select(e => (string)e!["id"]!));
        Assert.All(errors, e => Assert.Equal(404, (int)e!["statusCode"]!));
        Assert.All(errors, e => Assert.Equal(syncMessage, (string?)e!["message"]));
    }

    [Fact]
    public async Task A_job_survives_a_restart_of_its_server_and_never_resends_an_answered_id()
    {
        var directory = Path.Combine(Path.GetTempPath(), "truto-server-tests", Guid.NewGuid().ToString("N"));
        string[] args = ["--Jobs:SliceSize=3", "--Jobs:Workers=1", _provider.AllowArgument()];
        var ids = Ids(200, 12);
        Uri location;
        await using (var first = await TestServer.StartInAsync(directory, null, args))
        {
            first.KeepDirectory = true;
            var account = await first.CreateAccountAsync("close", _provider.Context());
            using var started = await StartAsync(first.Client, account, ids);
            location = started.Headers.Location!;
            // Two slices answered, the third held in flight when the server stops.
            await FanOutProvider.WaitForAsync(() => _provider.Calls.Count >= 6, "two slices answered");
            _provider.Hold();
            await FanOutProvider.WaitForAsync(() => _provider.Held == 3, "the third slice in flight");
        }
        // The stopped server dropped its calls in flight: the provider never answered them.
        await FanOutProvider.WaitForAsync(() => _provider.Held == 0, "the calls in flight to be dropped");
        var answeredBeforeStop = _provider.Answered.Keys.ToHashSet();
        _provider.Release();

        await using var second = await TestServer.StartInAsync(directory, null, args);
        var job = await PollAsync(second.Client, location);

        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(ids, job["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.True(answeredBeforeStop.Count >= 6);
        // Answered ids were sent exactly once; only the ids in flight at the stop were sent again.
        Assert.All(answeredBeforeStop, id => Assert.Equal(1, _provider.Calls[id]));
        Assert.All(ids, id => Assert.InRange(_provider.Calls[id], 1, 2));
        Assert.All(ids, id => Assert.Equal(1, _provider.Answered[id]));
    }

    [Fact]
    public async Task A_finished_job_past_Jobs_Retention_is_swept_by_the_workers_and_then_a_404()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var server = await TestServer.StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(clock),
            "--Jobs:Retention=3.00:00:00", "--Jobs:PollInterval=00:00:00.050", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        using var old = await StartAsync(server.Client, account, Ids(120, 2));
        await PollAsync(server.Client, old.Headers.Location!);
        clock.Advance(TimeSpan.FromDays(2));
        using var recent = await StartAsync(server.Client, account, Ids(130, 2));
        await PollAsync(server.Client, recent.Headers.Location!);

        // The old job finished 3 days and a minute ago, the recent one a day and a minute ago.
        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        server.Services.GetRequiredService<JobWakeup>().Notify();
        var swept = await WaitForStatusAsync(server.Client, old.Headers.Location!, HttpStatusCode.NotFound);
        using var kept = await server.Client.GetAsync(recent.Headers.Location);

        Assert.Equal($"No batch-delete job with id '{old.Headers.Location!.OriginalString.Split('/')[^1]}'.", (string?)swept["message"]);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal("succeeded", (string?)(await ReadAsync(kept))["status"]);
    }

    [Fact]
    public async Task A_job_whose_runs_keep_throwing_is_given_up_after_Jobs_MaxAttempts_with_its_unanswered_ids_failed_and_logged_without_secrets()
    {
        FaultyJobStore faulty = null!;
        var logs = new CollectingLoggerProvider();
        await using var server = await TestServer.StartAsync(builder =>
            {
                builder.Logging.AddProvider(logs);
                FaultyJobStore.Install(builder, takesBeforeFault: 1, store => faulty = store);
            },
            "--Jobs:SliceSize=2", "--Jobs:Workers=1", "--Jobs:MaxAttempts=3", "--Jobs:PollInterval=00:00:00.020", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("close", _provider.Context());
        var ids = Ids(140, 6);

        using var started = await StartAsync(server.Client, account, ids);
        var job = await PollAsync(server.Client, started.Headers.Location!);

        // The first slice went through; every later take threw, three times, and then the job was given up.
        Assert.Equal("partially_failed", (string?)job["status"]);
        Assert.Equal((2, 4, 0), ((int)job["counts"]!["deleted"]!, (int)job["counts"]!["failed"]!, (int)job["counts"]!["pending"]!));
        Assert.Equal(3, faulty.Faults);
        Assert.Equal(ids.Take(2), job["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!));
        var errors = job["response"]!["errors"]!.AsArray();
        Assert.Equal(ids.Skip(2), errors.Select(e => (string)e!["id"]!));
        Assert.All(errors, e => Assert.Equal(500, (int)e!["statusCode"]!));
        Assert.All(errors, e => Assert.Equal(
            $"The batch-delete job {job["id"]} was given up after 3 failed attempts (Jobs:MaxAttempts; last: InvalidOperationException); this id was not sent.", (string?)e!["message"]));
        Assert.All(ids.Take(2), id => Assert.Equal(1, _provider.Calls[id]));
        Assert.All(ids.Skip(2), id => Assert.False(_provider.Calls.ContainsKey(id)));
        var text = string.Join("\n", logs.Messages.Select(m => m.Message));
        Assert.Contains($"batch-delete job {job["id"]} was given up after 3 failed attempts (InvalidOperationException); its 4 unanswered ids are reported as failed (500).", text, StringComparison.Ordinal);
        Assert.DoesNotContain(FaultyJobStore.SecretInMessage, text, StringComparison.Ordinal);
    }

    /// <summary>GETs <paramref name="location"/> until it answers <paramref name="status"/> (the sweep runs on a worker), and returns that body.</summary>
    private static async Task<JsonObject> WaitForStatusAsync(HttpClient client, Uri location, HttpStatusCode status)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync(location, timeout.Token);
            if (response.StatusCode == status)
            {
                return (await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token))!;
            }
            await Task.Delay(20, timeout.Token);
        }
    }

    public async Task InitializeAsync()
    {
        _provider = await FanOutProvider.StartAsync();
        _server = await TestServer.StartAsync(_provider.AllowArgument());
        _account = await _server.CreateAccountAsync("close", _provider.Context());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
