using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>
/// What an instance costs PostgreSQL under load: connections stay within its one pool (and one LISTEN
/// connection) however many requests wait, and the test output says how many it used and how many deletes it answered.
/// </summary>
public sealed partial class ActingAsOneTests
{
    private const int Concurrency = 32;
    private const int DeletesPerInstance = 400;

    [Fact]
    public async Task Under_load_each_instance_holds_no_more_PostgreSQL_connections_than_its_one_pool_allows()
    {
        var (a, b, c) = Clients(ServerCluster.EnvironmentToken);
        var account = await CreateCloseAccountAsync(a);
        using var sampling = new CancellationTokenSource();
        var sampler = MostConnectionsPerInstanceAsync(sampling.Token);

        var alone = await LoadAsync([a], account);
        var together = await LoadAsync([a, b, c], account);
        await sampling.CancelAsync();
        var most = await sampler;

        Assert.True(alone.Failures.IsEmpty && together.Failures.IsEmpty, string.Join('\n', alone.Failures.Concat(together.Failures).Take(5)) + "\n" + Cluster.Output);
        Assert.Equal(["truto-A", "truto-B", "truto-C"], most.Keys.Order());
        // One pool per instance (the store, the cache's notifications, the rate limiter, the key ring and
        // the OAuth refresh lock share it) plus the cache's one LISTEN connection, so never more than
        // Maximum Pool Size + 1 however many requests wait.
        Assert.All(most, instance => Assert.InRange(instance.Value, 1, ClusterFixture.PoolSize + 1));
        output.WriteLine($"Maximum Pool Size={ClusterFixture.PoolSize}, {Concurrency} concurrent deletes per instance; most connections seen: "
            + string.Join(", ", most.OrderBy(m => m.Key).Select(m => $"{m.Key} {m.Value}")));
        output.WriteLine($"one instance: {alone.PerSecond:F0} deletes/s; three instances: {together.PerSecond:F0} deletes/s (load, provider and PostgreSQL on the same 2 cores)");
    }

    /// <summary>
    /// Sends <see cref="DeletesPerInstance"/> unified deletes to each of <paramref name="clients"/>,
    /// <see cref="Concurrency"/> at a time each; returns the answers other than 200 and the rate of answers.
    /// </summary>
    private static async Task<(ConcurrentBag<string> Failures, double PerSecond)> LoadAsync(HttpClient[] clients, string account)
    {
        var failures = new ConcurrentBag<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(client => Parallel.ForEachAsync(
            Enumerable.Range(0, DeletesPerInstance),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency },
            async (i, cancellationToken) =>
            {
                using var response = await client.DeleteAsync(Delete($"cont_{Guid.NewGuid():N}", account), cancellationToken);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
                }
            })));
        return (failures, clients.Length * DeletesPerInstance / clock.Elapsed.TotalSeconds);
    }

    /// <summary>Samples pg_stat_activity back to back until cancelled: the most connections each instance (application_name) held at once.</summary>
    private async Task<Dictionary<string, int>> MostConnectionsPerInstanceAsync(CancellationToken cancellationToken)
    {
        var most = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "SELECT application_name, count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'truto-%' GROUP BY 1",
            connection);
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
            while (await reader.ReadAsync(CancellationToken.None))
            {
                most[reader.GetString(0)] = Math.Max(most.GetValueOrDefault(reader.GetString(0)), reader.GetInt32(1));
            }
        }
        return most;
    }

    /// <summary>A Close account (no declared rate, so only the store paces its calls) on the counting provider.</summary>
    private async Task<string> CreateCloseAccountAsync(HttpClient client, string? apiKey = null)
    {
        using var response = await client.PostAsJsonAsync("/integrated-account", new JsonObject
        {
            ["integration"] = "close",
            ["context"] = new JsonObject { ["base_url"] = Provider.Url.ToString(), ["api_key"] = apiKey ?? "key-" + Guid.NewGuid().ToString("N") },
        });
        Assert.True(response.IsSuccessStatusCode, await Explain(response));
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }
}
