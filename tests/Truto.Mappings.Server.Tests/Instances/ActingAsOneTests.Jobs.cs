using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>A batch-delete job outlives the instance running it.</summary>
public sealed partial class ActingAsOneTests
{
    [Fact]
    public async Task A_job_whose_instance_is_killed_halfway_finishes_on_another_sending_again_exactly_the_ids_whose_calls_had_not_answered()
    {
        var (a, b, _) = Clients(ServerCluster.EnvironmentToken);
        var (account, authorization) = await CreateCloseAccountWithAuthorizationAsync(a);
        Provider.AnswerSlowly(authorization, TimeSpan.FromMilliseconds(10));
        var ids = JobApi.Ids(1, 2_000);
        int? killed = null;
        try
        {
            using var accepted = await JobApi.StartAsync(a, account, ids);
            Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await Explain(accepted));
            var job = (string)(await JobApi.ReadAsync(accepted))["id"]!;

            await Provider.WhenAnswered(authorization, ids.Count / 2).WaitAsync(Patience);
            // From here calls are held unanswered; the kill comes once every call either is held or
            // has answered with its outcome in the store, so "answered" is exact at the kill.
            var release = new TaskCompletionSource();
            await Provider.HoldCalls(release.Task).WaitAsync(Patience);
            await SettledAsync(job, authorization);
            killed = await RunningInstanceAsync(job);
            await Cluster[killed.Value].KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            // The dead instance's held calls end unanswered (its connections are gone) before the gate opens.
            await FanOutProvider.WaitForAsync(() => Provider.Held == 0, "the killed instance's held calls to drop");
            var beforeKill = Provider.CallsWith(authorization);
            release.SetResult();
            var survivor = killed == 1 ? a : b;
            var finished = await JobApi.PollAsync(survivor, accepted.Headers.Location!);

            Assert.Equal("succeeded", (string?)finished["status"]);
            Assert.Equal(2_000, (int)finished["counts"]!["deleted"]!);
            Assert.Equal(ids.Order(StringComparer.Ordinal), finished["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));
            var calls = Provider.CallsWith(authorization);
            var perId = calls.SelectMany(call => call.Ids).CountBy(id => id).ToDictionary(StringComparer.Ordinal);
            Assert.Equal(ids.Order(StringComparer.Ordinal), perId.Keys.Order(StringComparer.Ordinal));
            Assert.True(calls.Any(call => call.At > killedAt), "no call after the kill");
            // The per-call bound: an id is sent twice exactly when its call had not answered at the
            // kill; every id whose call answered was sent once. At most one slice is in flight.
            var sentTwice = perId.Where(p => p.Value > 1).Select(p => p.Key).ToHashSet();
            var unanswered = beforeKill.Where(call => call.AnsweredAt is null).SelectMany(call => call.Ids).ToHashSet();
            var answered = beforeKill.Where(call => call.AnsweredAt is not null).SelectMany(call => call.Ids).ToList();
            Assert.NotEmpty(unanswered);
            Assert.All(perId.Values, count => Assert.InRange(count, 1, 2));
            Assert.Equal(unanswered.Order(StringComparer.Ordinal), sentTwice.Order(StringComparer.Ordinal));
            Assert.All(answered, id => Assert.Equal(1, perId[id]));
            Assert.InRange(sentTwice.Count, 1, ClusterFixture.SliceSize);
            output.WriteLine($"killed {(char)('A' + killed)} after {beforeKill.Count} calls ({answered.Count} answered); sent twice: {sentTwice.Count} ids, all unanswered when it died");
        }
        finally
        {
            if (killed is { } index)
            {
                await Cluster.RestartAsync(index);
            }
        }
    }

    /// <summary>
    /// Waits until every call of the account is either held at the provider's gate or answered with
    /// its outcome written to the store (the job's ids with an outcome are exactly the answered ids):
    /// nothing is then between the provider and the store.
    /// </summary>
    private async Task SettledAsync(string job, string authorization)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*)::int FROM batch_job_items WHERE job_id = @id AND state IN ('deleted', 'failed')", connection);
        command.Parameters.AddWithValue("id", job);
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var calls = Provider.CallsWith(authorization);
            var held = Provider.Held;
            var answered = calls.Where(call => call.AnsweredAt is not null).SelectMany(call => call.Ids).Distinct().Count();
            if (held > 0 && held == calls.Count(call => call.AnsweredAt is null) && (int)(await command.ExecuteScalarAsync(timeout.Token))! == answered)
            {
                return;
            }
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>The cluster index of the instance whose worker holds <paramref name="job"/> (its process id is in batch_jobs.locked_by).</summary>
    private async Task<int> RunningInstanceAsync(string job)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT locked_by FROM batch_jobs WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", job);
        // {machine}:{process id}:{instance}/{worker}
        var lockedBy = (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"job {job} is held by no worker");
        var processId = int.Parse(lockedBy.Split(':')[^2], System.Globalization.CultureInfo.InvariantCulture);
        return Enumerable.Range(0, Cluster.Count).Single(i => Cluster[i].Id == processId);
    }

    private async Task<(string Id, string Authorization)> CreateCloseAccountWithAuthorizationAsync(HttpClient client)
    {
        var key = "key-" + Guid.NewGuid().ToString("N");
        var id = await CreateCloseAccountAsync(client, key);
        // close.yaml: the API key is the Basic user name, the password empty.
        return (id, "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key + ":")));
    }
}
