using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Truto.Mappings.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>
/// SQLite mode (the default, one instance): a batch-delete job survives a restart of its only
/// server process — stopped as a deployment stops it, started again on the same file — and
/// finishes with every id, sending again exactly the ids whose calls the stop left unanswered.
/// </summary>
public sealed class SingleInstanceJobTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int SliceSize = 20;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-single-instance-tests", Guid.NewGuid().ToString("N")[..12]);
    private CountingProvider _provider = null!;
    private ServerCluster _server = null!;

    [Fact]
    public async Task A_job_survives_a_restart_of_the_single_instance_and_finishes_every_id()
    {
        using var before = _server[0].Client(ServerCluster.EnvironmentToken);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var authorization = "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(key + ":"));
        using var created = await before.PostAsJsonAsync("/integrated-account", new JsonObject
        {
            ["integration"] = "close",
            ["context"] = new JsonObject { ["base_url"] = _provider.Url.ToString(), ["api_key"] = key },
        });
        var account = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        _provider.AnswerSlowly(authorization, TimeSpan.FromMilliseconds(10));
        var ids = JobApi.Ids(1, 600);

        using var accepted = await JobApi.StartAsync(before, account, ids);
        var job = (string)(await JobApi.ReadAsync(accepted))["id"]!;
        await _provider.WhenAnswered(authorization, ids.Count / 2).WaitAsync(Patience);
        // From here calls are held unanswered; the stop comes once every call either is held or has
        // answered with its outcome in the file, so "answered" is exact at the stop.
        var release = new TaskCompletionSource();
        await _provider.HoldCalls(release.Task).WaitAsync(Patience);
        await SettledAsync(job, authorization);
        await _server[0].StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var exitCode = _server[0].ExitCode;
        // The stopped server's held calls end unanswered (it cancelled them) before the gate opens.
        await FanOutProvider.WaitForAsync(() => _provider.Held == 0, "the stopped server's held calls to drop");
        var beforeStop = _provider.CallsWith(authorization);
        release.SetResult();
        await _server.RestartAsync(0);
        using var after = _server[0].Client(ServerCluster.EnvironmentToken);
        var finished = await JobApi.PollAsync(after, accepted.Headers.Location!);

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(0, exitCode);
        Assert.Equal("succeeded", (string?)finished["status"]);
        Assert.Equal(ids.Order(StringComparer.Ordinal), finished["response"]!["result"]!.AsArray().Select(r => (string)r!["id"]!).Order(StringComparer.Ordinal));
        var calls = _provider.CallsWith(authorization);
        var perId = calls.SelectMany(call => call.Ids).CountBy(id => id).ToDictionary(StringComparer.Ordinal);
        Assert.Equal(ids.Order(StringComparer.Ordinal), perId.Keys.Order(StringComparer.Ordinal));
        Assert.Contains(calls, call => call.At > stoppedAt);
        // The per-call bound: an id is sent twice exactly when its call had not answered at the
        // stop; every id whose call answered was sent once.
        var sentTwice = perId.Where(p => p.Value > 1).Select(p => p.Key).ToHashSet();
        var unanswered = beforeStop.Where(call => call.AnsweredAt is null).SelectMany(call => call.Ids).ToHashSet();
        var answered = beforeStop.Where(call => call.AnsweredAt is not null).SelectMany(call => call.Ids).ToList();
        Assert.NotEmpty(unanswered);
        Assert.All(perId.Values, count => Assert.InRange(count, 1, 2));
        Assert.Equal(unanswered.Order(StringComparer.Ordinal), sentTwice.Order(StringComparer.Ordinal));
        Assert.All(answered, id => Assert.Equal(1, perId[id]));
        Assert.InRange(sentTwice.Count, 1, SliceSize);
        output.WriteLine($"stopped after {beforeStop.Count} calls ({answered.Count} answered); sent twice: {sentTwice.Count} ids, all unanswered at the stop");
    }

    /// <summary>
    /// Waits until every call of the account is either held at the provider's gate or answered with
    /// its outcome written to the file (the job's ids with an outcome are exactly the answered ids).
    /// </summary>
    private async Task SettledAsync(string job, string authorization)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "truto.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM batch_job_items WHERE job_id = $id AND state IN ('deleted', 'failed')";
        command.Parameters.AddWithValue("$id", job);
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var calls = _provider.CallsWith(authorization);
            var held = _provider.Held;
            var answered = calls.Where(call => call.AnsweredAt is not null).SelectMany(call => call.Ids).Distinct().Count();
            if (held > 0 && held == calls.Count(call => call.AnsweredAt is null)
                && Convert.ToInt32(await command.ExecuteScalarAsync(timeout.Token), System.Globalization.CultureInfo.InvariantCulture) == answered)
            {
                return;
            }
            await Task.Delay(10, timeout.Token);
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _provider = await CountingProvider.StartAsync();
        _server = await ServerCluster.StartAsync(1, new Dictionary<string, string>
        {
            ["ConnectionStrings__Truto"] = $"Data Source={Path.Combine(_directory, "truto.db")}",
            ["Egress__AllowedBaseUrls__0"] = _provider.Origin,
            ["Jobs__PollInterval"] = "00:00:00.200",
            ["Jobs__SliceSize"] = SliceSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
