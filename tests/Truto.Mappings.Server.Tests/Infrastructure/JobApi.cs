using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>The batch-delete job API as tests call it: start a job, poll it until it has finished.</summary>
internal static class JobApi
{
    /// <summary>Close contact ids cont_{first} … (close.yaml's pattern).</summary>
    public static List<string> Ids(int first, int count) => [.. Enumerable.Range(first, count).Select(i => "cont_" + i)];

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>The batch-delete body for <paramref name="ids"/>, with <paramref name="extra"/> members (JSON text) when given.</summary>
    public static string Body(IEnumerable<string> ids, string? extra = null)
        => "{\"id\": [" + string.Join(", ", ids.Select(i => "\"" + i + "\"")) + "]" + (extra is null ? "" : ", " + extra) + "}";

    /// <summary>POSTs a batch-delete with <c>Prefer: respond-async</c>.</summary>
    public static async Task<HttpResponseMessage> StartAsync(HttpClient client, string account, IEnumerable<string> ids, string? extra = null, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={account}") { Content = Json(Body(ids, extra)) };
        request.Headers.Add("Prefer", "respond-async");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request);
    }

    /// <summary>The synchronous batch-delete's status and body for the same ids.</summary>
    public static async Task<(int Status, string Body)> SyncAsync(HttpClient client, string account, IEnumerable<string> ids)
    {
        using var response = await client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={account}", Json(Body(ids)));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response)
        => (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    /// <summary>Polls the job until it has finished (and <paramref name="until"/> holds, when given).</summary>
    public static async Task<JsonObject> PollAsync(HttpClient client, Uri location, Func<JsonObject, bool>? until = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var response = await client.GetAsync(location, timeout.Token);
            var job = await response.Content.ReadFromJsonAsync<JsonObject>(timeout.Token);
            if (job?["finished_at"] is not null && (until is null || until(job)))
            {
                return job;
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}
