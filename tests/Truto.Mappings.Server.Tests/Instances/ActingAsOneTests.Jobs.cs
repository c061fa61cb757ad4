using System.Net;
using System.Text.Json.Nodes;
using Npgsql;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>A batch-delete job outlives the instance running it.</summary>
public sealed partial class ActingAsOneTests
{
    [Fact]
    public async Task A_job_whose_instance_is_killed_halfway_finishes_on_another_sending_again_only_ids_of_the_slice_in_flight()
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
            killed = await RunningInstanceAsync(job);
            await Cluster[killed.Value].KillAsync();
            var killedAt = DateTimeOffset.UtcNow;
            var survivor = killed == 1 ? a : b;
            var finished = await JobApi.PollAsync(survivor, accepted.Headers.Location!);

            Assert.Equal("succeeded", (string?)finished["status"]);
            Assert.Equal(2_000, (int)finished["counts"]!["deleted"]!);
            Assert.Equal(ids.Order(StringComparer.Ordinal), finished["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));
            var calls = Provider.CallsWith(authorization);
            var perId = calls.SelectMany(call => call.Ids).CountBy(id => id).ToDictionary(StringComparer.Ordinal);
            Assert.Equal(ids.Order(StringComparer.Ordinal), perId.Keys.Order(StringComparer.Ordinal));
            Assert.True(calls.Any(call => call.At > killedAt), "no call after the kill");
            // Sent twice: only ids of the slice in flight when the instance died — whose outcomes were
            // not written yet — i.e. among the last SliceSize ids first sent before the kill.
            var sentTwice = perId.Where(p => p.Value > 1).Select(p => p.Key).ToList();
            var lastSentBeforeKill = calls.Where(call => call.At < killedAt).SelectMany(call => call.Ids).Distinct().TakeLast(ClusterFixture.SliceSize).ToHashSet();
            Assert.All(perId.Values, count => Assert.InRange(count, 1, 2));
            Assert.InRange(sentTwice.Count, 0, ClusterFixture.SliceSize);
            Assert.Subset(lastSentBeforeKill, sentTwice.ToHashSet());
            output.WriteLine($"killed {(char)('A' + killed)} after {calls.Count(call => call.At < killedAt)} calls; sent twice: {sentTwice.Count} ids "
                + $"({sentTwice.Count(id => calls.First(call => call.Ids.Contains(id)).AnsweredAt is null)} of them unanswered when it died)");
        }
        finally
        {
            if (killed is { } index)
            {
                await Cluster.RestartAsync(index);
            }
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
