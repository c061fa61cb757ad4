using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The atomic <c>Idempotency-Key</c> claim over real HTTP: a concurrent duplicate never reaches the
/// provider, keys belong to a tenant, and a claim left behind expires.
/// </summary>
public sealed class IdempotencyClaimTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private TestServer _server = null!;
    private ReplayServer _provider = null!;

    [Fact]
    public async Task Of_two_concurrent_requests_with_one_key_exactly_one_reaches_the_provider_and_the_other_is_a_409_with_Retry_After()
    {
        var account = await _server.CreateAccountAsync("hubspot", Context);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.Load([NoContent with { Arrived = arrived, HoldBeforeAnswer = finish.Task }, NoContent]);

        var first = Send(_server.Client, account, "key-concurrent");
        // The first request is inside its provider call, holding the claim.
        await arrived.Task.WaitAsync(Patience);
        using var duplicate = await Send(_server.Client, account, "key-concurrent");
        finish.SetResult();
        using var firstResponse = await first.WaitAsync(Patience);
        using var afterwards = await Send(_server.Client, account, "key-concurrent");

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), duplicate.Headers.RetryAfter!.Delta);
        var envelope = (await duplicate.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(409, (int)envelope["statusCode"]!);
        Assert.Contains("still running", (string?)envelope["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal("true", afterwards.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(_provider.Received);
    }

    [Fact]
    public async Task The_same_key_from_another_tenant_is_another_key_and_never_replays()
    {
        var acmeAccount = await _server.CreateAccountAsync("hubspot", Context, tenant: "acme");
        var acme = await _server.ClientWithTokenAsync(ApiScopes.Unified, tenant: "acme");
        var beta = await _server.ClientWithTokenAsync(ApiScopes.Unified, tenant: "beta");
        var betaAccount = await _server.CreateAccountAsync("hubspot", Context, tenant: "beta");
        _provider.Load(NoContent, 3);

        using var byAcme = await Send(acme, acmeAccount, "shared-key");
        using var byBeta = await Send(beta, betaAccount, "shared-key");
        // The unlimited token and the acme token send the very same request: still two keys.
        using var byAll = await Send(_server.Client, acmeAccount, "shared-key");
        using var acmeAgain = await Send(acme, acmeAccount, "shared-key");

        Assert.Equal(HttpStatusCode.OK, byBeta.StatusCode);
        Assert.False(byBeta.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.OK, byAll.StatusCode);
        Assert.False(byAll.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", acmeAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(3, _provider.Received.Count);
    }

    [Fact]
    public async Task A_claim_older_than_the_claim_timeout_no_longer_blocks_its_key()
    {
        var account = await _server.CreateAccountAsync("hubspot", Context);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.Load([NoContent with { Arrived = arrived, HoldBeforeAnswer = finish.Task }, NoContent]);

        // A request that never finishes stands for one whose server stopped mid-call.
        var stuck = Send(_server.Client, account, "key-stuck");
        await arrived.Task.WaitAsync(Patience);
        using var blocked = await Send(_server.Client, account, "key-stuck");
        _clock.Advance(TimeSpan.FromMinutes(2));
        using var reclaimed = await Send(_server.Client, account, "key-stuck");
        finish.SetResult();
        using var stuckResponse = await stuck.WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reclaimed.StatusCode);
        Assert.False(reclaimed.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, _provider.Received.Count);
    }

    private static Task<HttpResponseMessage> Send(HttpClient client, string account, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={account}")
        {
            Content = new StringContent("""{"id": ["7"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }

    [Theory]
    [InlineData("00:10:00", "00:10:00")]
    [InlineData("00:05:00", "00:10:00")]
    public async Task A_claim_timeout_not_longer_than_the_batch_deadline_stops_the_start_naming_both(string claimTimeout, string batchDeadline)
    {
        var failure = await Assert.ThrowsAsync<StartupException>(() => TestServer.StartAsync(
            $"--Server:IdempotencyClaimTimeout={claimTimeout}", $"--Runtime:BatchDeadline={batchDeadline}"));

        Assert.Contains("Server:IdempotencyClaimTimeout", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Runtime:BatchDeadline", failure.Message, StringComparison.Ordinal);
    }

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(_clock), "--Server:IdempotencyClaimTimeout=00:01:00", "--Runtime:BatchDeadline=00:00:50", _provider.AllowArgument());
    }

    /// <summary>A new context object for each account (a JSON node belongs to one parent).</summary>
    private JsonObject Context => new()
    {
        ["base_url"] = _provider.Url.ToString(),
        ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
    };

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
