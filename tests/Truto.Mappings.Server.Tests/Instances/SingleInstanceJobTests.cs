using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>
/// SQLite mode (the default, one instance): a batch-delete job survives a restart of its only
/// server process — stopped as a deployment stops it, started again on the same file — and
/// finishes with every id, sending again only ids of the slice the stop interrupted.
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
        await _provider.WhenAnswered(authorization, ids.Count / 2).WaitAsync(Patience);
        await _server[0].StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        var exitCode = _server[0].ExitCode;
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
        var sentTwice = perId.Where(p => p.Value > 1).Select(p => p.Key).ToHashSet();
        var lastSentBeforeStop = calls.Where(call => call.At < stoppedAt).SelectMany(call => call.Ids).Distinct().TakeLast(SliceSize).ToHashSet();
        Assert.All(perId.Values, count => Assert.InRange(count, 1, 2));
        Assert.Subset(lastSentBeforeStop, sentTwice);
        output.WriteLine($"stopped after {calls.Count(call => call.At < stoppedAt)} calls; sent twice: {sentTwice.Count} ids");
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
