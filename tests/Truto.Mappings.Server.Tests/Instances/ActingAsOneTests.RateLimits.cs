using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>The provider rate a YAML declares holds for the whole cluster, not per process.</summary>
public sealed partial class ActingAsOneTests
{
    // hubspot.yaml: requests 190, per_seconds 10 (burst: requests); batch archive 100 ids a call.
    private const int DeclaredRequests = 190;
    private const int DeclaredBurst = 190;
    private static readonly TimeSpan DeclaredPeriod = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Three_instances_batch_deleting_for_one_account_stay_within_the_declared_rate_with_no_429()
    {
        var (a, b, c) = Clients(ServerCluster.EnvironmentToken);
        var (account, authorization) = await CreateAccountAsync(a);
        // Ten calls of slack (about half a second at the declared rate): a call the cluster let through
        // at its time may reach the provider after later ones when the test machine is loaded (two
        // calls of slack failed at load averages of 20). Three instances pacing alone would send about
        // three times the rate, hundreds of calls past it, so the slack hides no missing coordination;
        // the window bound below is the exact one.
        Provider.EnforceRate(authorization, DeclaredRequests, DeclaredPeriod, DeclaredBurst, slack: 10);
        // 3 × 10,000 ids: 300 calls of 100 ids, well past the 190 of one burst.
        var batches = new[] { a, b, c }.Select((client, i) => SendBatchOf(client, account, Enumerable.Range((i * 10_000) + 1, 10_000))).ToList();

        var answers = await Task.WhenAll(batches).WaitAsync(TimeSpan.FromMinutes(3));

        var calls = Provider.CallsWith(authorization).OrderBy(call => call.At).ToList();
        Assert.DoesNotContain(calls, call => call.Status == 429);
        foreach (var answer in answers)
        {
            Assert.True(answer.StatusCode == HttpStatusCode.OK, await Explain(answer));
            var body = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
            Assert.Equal(10_000, body["result"]!.AsArray().Count);
            Assert.Null(body["errors"]);
            answer.Dispose();
        }
        Assert.Equal(300, calls.Count);
        Assert.Equal(30_000, calls.SelectMany(call => call.Ids).Distinct().Count());
        // The most a bucket of DeclaredBurst refilled at DeclaredRequests per DeclaredPeriod passes in one period.
        Assert.True(MostCallsInAnyWindow(calls, DeclaredPeriod) <= DeclaredBurst + DeclaredRequests, Describe(calls));
        output.WriteLine(Describe(calls));
    }

    /// <summary>The most calls that arrived within any window of <paramref name="window"/> (calls in arrival order).</summary>
    private static int MostCallsInAnyWindow(List<ProviderCall> calls, TimeSpan window)
    {
        var most = 0;
        var start = 0;
        for (var end = 0; end < calls.Count; end++)
        {
            while (calls[end].At - calls[start].At >= window)
            {
                start++;
            }
            most = Math.Max(most, end - start + 1);
        }
        return most;
    }

    /// <summary>What the cluster achieved against the declared rate, and the calls in the busiest window.</summary>
    private static string Describe(List<ProviderCall> calls)
    {
        // The fastest the declared bucket lets these calls through: the burst at once, then one call per interval.
        var fastest = (calls.Count - DeclaredBurst) * DeclaredPeriod.TotalSeconds / DeclaredRequests;
        var took = (calls[^1].At - calls[0].At).TotalSeconds;
        return $"{calls.Count} calls in {took:F2} s, the least the declared rate allows being {fastest:F2} s "
            + $"({100 * fastest / took:F1} % of the declared rate achieved); busiest {DeclaredPeriod.TotalSeconds:F0} s window: {MostCallsInAnyWindow(calls, DeclaredPeriod)} calls.";
    }

    private static Task<HttpResponseMessage> SendBatchOf(HttpClient client, string account, IEnumerable<int> ids)
    {
        var body = new JsonObject { ["id"] = new JsonArray([.. ids.Select(id => JsonValue.Create(id.ToString(System.Globalization.CultureInfo.InvariantCulture)))]) };
        return client.PostAsync(
            new Uri($"/unified/crm/contacts/batch-delete?integrated_account_id={account}", UriKind.Relative),
            new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    }
}
