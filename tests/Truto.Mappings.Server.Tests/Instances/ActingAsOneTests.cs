using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>
/// Three real server processes (A, B, C) on one PostgreSQL database act as one service: what one
/// of them writes — an account, its new credentials, its deletion, a revoked token, an
/// Idempotency-Key claim — holds on the others. Each instance keeps decrypted accounts and token
/// checks in memory, and a change made through one is announced to the others (NOTIFY), which drop
/// their copies: the cluster runs with a TTL of ten minutes (<see cref="ClusterFixture"/>), so a
/// change seen within <see cref="Patience"/> was seen through the notification. Tests wait for it.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed partial class ActingAsOneTests(PostgresServer postgres, ClusterFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly List<HttpClient> _clients = [];

    private ServerCluster Cluster => fixture.Cluster;

    private CountingProvider Provider => fixture.Provider;

    [Fact]
    public async Task An_account_created_through_A_is_used_through_B_and_C_and_once_deleted_on_C_is_refused_on_A()
    {
        var (a, b, c) = Clients(ServerCluster.EnvironmentToken);
        var (account, authorization) = await CreateAccountAsync(a);
        using var readByA = await a.GetAsync(new Uri($"/integrated-account/{account}", UriKind.Relative));

        using var throughB = await b.DeleteAsync(Delete("101", account));
        using var throughC = await c.DeleteAsync(Delete("102", account));
        using var deleted = await c.DeleteAsync(new Uri($"/integrated-account/{account}", UriKind.Relative));
        // A kept the account when it read it; the deletion's notification makes it read again.
        await EventuallyAsync(async () =>
        {
            using var read = await a.GetAsync(new Uri($"/integrated-account/{account}", UriKind.Relative));
            return read.StatusCode == HttpStatusCode.NotFound;
        });
        using var afterwards = await a.DeleteAsync(Delete("103", account));

        Assert.Equal(HttpStatusCode.OK, readByA.StatusCode);
        Assert.True(throughB.StatusCode == HttpStatusCode.OK, await Explain(throughB));
        Assert.True(throughC.StatusCode == HttpStatusCode.OK, await Explain(throughC));
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterwards.StatusCode);
        // B and C decrypted the credentials A stored (one key ring) and called the provider with them; A called it never.
        Assert.Equal([["101"], ["102"]], Provider.CallsWith(authorization).Select(call => call.Ids));
    }

    [Fact]
    public async Task Credentials_updated_through_B_are_the_ones_C_sends_next()
    {
        var (a, b, c) = Clients(ServerCluster.EnvironmentToken);
        var (account, old) = await CreateAccountAsync(a);
        using var first = await c.DeleteAsync(Delete("201", account));
        var rotated = "rotated-" + Guid.NewGuid().ToString("N");

        using var patch = await b.PatchAsJsonAsync($"/integrated-account/{account}", new JsonObject
        {
            ["context"] = new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = rotated } } },
        });
        Assert.True(patch.StatusCode == HttpStatusCode.OK, await Explain(patch));
        // C kept the account with the old credentials; the PATCH's notification makes it read the new ones.
        await EventuallyAsync(async () =>
        {
            using var next = await c.DeleteAsync(Delete("202", account));
            Assert.Equal(HttpStatusCode.OK, next.StatusCode);
            return Provider.CallsWith("Bearer " + rotated).Count > 0;
        });

        Assert.Equal(["201"], Provider.CallsWith(old)[0].Ids);
        Assert.Equal([["202"]], Provider.CallsWith("Bearer " + rotated).Select(call => call.Ids));
    }

    [Fact]
    public async Task A_token_revoked_with_the_admin_command_is_refused_by_every_instance()
    {
        var (created, token, message) = await Cluster.RunCommandAsync("tokens", "create", "--name", "revoked-soon", "--scope", "accounts:read");
        Assert.True(created == 0, message);
        var id = TokenCreated().Match(message).Groups[1].Value;
        var (a, b, c) = Clients(token.Trim());
        using var beforeA = await a.GetAsync(new Uri("/integrated-account", UriKind.Relative));
        using var beforeB = await b.GetAsync(new Uri("/integrated-account", UriKind.Relative));
        using var beforeC = await c.GetAsync(new Uri("/integrated-account", UriKind.Relative));

        var (revoked, _, revokeMessage) = await Cluster.RunCommandAsync("tokens", "revoke", "--id", id);
        Assert.True(revoked == 0, revokeMessage);
        // Each kept the token check; the admin command's notification makes each check again.
        foreach (var client in new[] { a, b, c })
        {
            await EventuallyAsync(async () =>
            {
                using var after = await client.GetAsync(new Uri("/integrated-account", UriKind.Relative));
                return after.StatusCode == HttpStatusCode.Unauthorized;
            });
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], new[] { beforeA, beforeB, beforeC }.Select(r => r.StatusCode));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_sent_to_B_and_C_at_once_reaches_the_provider_once_the_other_is_a_409_and_its_retry_a_replay()
    {
        var (a, b, c) = Clients(ServerCluster.EnvironmentToken);
        var (account, authorization) = await CreateAccountAsync(a);
        var key = "key-" + Guid.NewGuid().ToString("N");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = Provider.HoldCalls(release.Task);
        try
        {
            var toB = SendBatch(b, account, key);
            var toC = SendBatch(c, account, key);

            // The request that lost the claim answers at once; the other one is held at the provider.
            var first = await Task.WhenAny(toB, toC).WaitAsync(Patience);
            using var refused = await first;
            await arrived.WaitAsync(Patience);
            release.SetResult();
            using var answered = await (first == toB ? toC : toB).WaitAsync(Patience);
            using var retried = await SendBatch(first == toB ? b : c, account, key);

            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
            Assert.True(answered.StatusCode == HttpStatusCode.OK, await Explain(answered));
            Assert.False(answered.Headers.Contains("Idempotent-Replayed"));
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
            Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(await answered.Content.ReadAsStringAsync(), await retried.Content.ReadAsStringAsync());
            Assert.Single(Provider.CallsWith(authorization));
        }
        finally
        {
            release.TrySetResult();
        }
    }

    public Task InitializeAsync() => fixture.StartAsync(postgres);

    public Task DisposeAsync()
    {
        _clients.ForEach(client => client.Dispose());
        return Task.CompletedTask;
    }

    /// <summary>Clients for A, B and C sending <paramref name="token"/>.</summary>
    private (HttpClient A, HttpClient B, HttpClient C) Clients(string token)
    {
        var clients = Enumerable.Range(0, ClusterFixture.Instances).Select(i => Cluster[i].Client(token)).ToList();
        _clients.AddRange(clients);
        return (clients[0], clients[1], clients[2]);
    }

    /// <summary>Creates a HubSpot account on the counting provider with credentials of its own; returns its id and the Authorization header its calls carry.</summary>
    private async Task<(string Id, string Authorization)> CreateAccountAsync(HttpClient client)
    {
        var token = "account-" + Guid.NewGuid().ToString("N");
        using var response = await client.PostAsJsonAsync("/integrated-account", new JsonObject
        {
            ["integration"] = "hubspot",
            ["tenant_id"] = "acme",
            ["context"] = new JsonObject
            {
                ["base_url"] = Provider.Url.ToString(),
                ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = token } },
            },
        });
        Assert.True(response.IsSuccessStatusCode, await Explain(response));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return ((string)body!["id"]!, "Bearer " + token);
    }

    /// <summary>Asks <paramref name="condition"/> again until it holds; fails past <see cref="Patience"/>.</summary>
    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), timeout.Token);
        }
    }

    private static Uri Delete(string contact, string account) => new($"/unified/crm/contacts/{contact}?integrated_account_id={account}", UriKind.Relative);

    private static Task<HttpResponseMessage> SendBatch(HttpClient client, string account, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={account}")
        {
            Content = new StringContent("""{"id": ["301"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    /// <summary>The answer and what the servers wrote, for a failed assertion.</summary>
    private async Task<string> Explain(HttpResponseMessage response)
        => $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{Cluster.Output}";

    [GeneratedRegex("Token ([0-9a-f-]{36}) created")]
    private static partial Regex TokenCreated();
}
