using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// OAuth tokens through the whole server: HubSpot's oauth2 block, a loopback token endpoint and
/// provider (configured as Providers:hubspot:TokenUrl and BaseUrl), a real SQLite file and key ring.
/// </summary>
public sealed class OAuthRefreshEndpointTests : IAsyncLifetime
{
    private const string ClientSecret = "hubspot-client-secret-s3cr3t";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-oauth-tests", Guid.NewGuid().ToString("N"));
    private OAuthLoopbackServer _provider = null!;

    [Fact]
    public async Task A_refreshed_and_rotated_refresh_token_survives_a_restart_and_is_stored_encrypted()
    {
        string id;
        await using (var first = await StartAsync())
        {
            id = await first.CreateAccountAsync("hubspot", Context("access-0", "refresh-0", expired: true));
            using var deleted = await first.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        Assert.Equal("refresh-1", _provider.ValidRefreshToken);
        var file = await File.ReadAllBytesAsync(Path.Combine(_directory, "truto.db"));
        Assert.DoesNotContain("refresh-1", Encoding.UTF8.GetString(file), StringComparison.Ordinal);

        // The access token is revoked meanwhile: the next call's 401 needs the rotated refresh token.
        _provider.ValidAccessToken = "revoked";
        await using var second = await StartAsync();
        using var again = await second.Client.DeleteAsync($"/unified/crm/contacts/52?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(["refresh-0", "refresh-1"], _provider.TokenRequests.Select(r => r.Parameters["refresh_token"]));
        Assert.Equal("Bearer access-2", _provider.Calls[^1].Split(' ', 3)[2]);
    }

    [Fact]
    public async Task Invalid_grant_marks_the_account_needs_reauth_until_a_PATCH_of_its_context()
    {
        await using var server = await StartAsync();
        var id = await server.CreateAccountAsync("hubspot", Context("access-0", "refresh-revoked", expired: true));

        using var first = await server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");
        var account = (await server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        using var second = await server.Client.DeleteAsync($"/unified/crm/contacts/52?integrated_account_id={id}");
        var secondBody = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Equal("needs_reauth", (string?)account["status"]);
        Assert.Contains("invalid_grant", (string?)account["status_message"], StringComparison.Ordinal);
        Assert.NotNull((string?)account["status_at"]);
        Assert.DoesNotContain("refresh-revoked", account.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, second.StatusCode);
        Assert.Equal(401, (int)secondBody["statusCode"]!);
        Assert.Contains("must be reconnected", (string?)secondBody["message"], StringComparison.Ordinal);
        Assert.Single(_provider.TokenRequests);
        Assert.Empty(_provider.Calls);

        // The same (expired) access token with a new refresh token: refreshed again, not answered by the old refusal.
        using var patched = await server.Client.PatchAsync($"/integrated-account/{id}", JsonContent.Create(new JsonObject { ["context"] = Context("access-0", "refresh-0", expired: true) }));
        var restored = JsonNode.Parse(await patched.Content.ReadAsStringAsync())!;
        using var third = await server.Client.DeleteAsync($"/unified/crm/contacts/53?integrated_account_id={id}");

        Assert.Equal("active", (string?)restored["status"]);
        Assert.Null(restored["status_message"]);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(2, _provider.TokenRequests.Count);
    }

    [Fact]
    public async Task A_token_endpoint_500_is_a_502_and_the_account_stays_active()
    {
        _provider.TokenAnswer = _ => (500, """{"error":"server_error"}""");
        await using var server = await StartAsync();
        var id = await server.CreateAccountAsync("hubspot", Context("access-0", "refresh-0", expired: true));

        using var deleted = await server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");
        var account = (await server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;

        Assert.Equal(HttpStatusCode.BadGateway, deleted.StatusCode);
        Assert.Equal("active", (string?)account["status"]);
        Assert.Empty(_provider.Calls);
    }

    [Fact]
    public async Task A_token_endpoint_that_does_not_answer_in_time_is_a_504_the_request_is_not_repeated_and_the_account_stays_active()
    {
        var never = new TaskCompletionSource();
        _provider.HoldTokenAnswer = never.Task;
        try
        {
            await using var server = await StartAsync(null, "--Runtime:ProviderTimeout=00:00:00.5");
            var id = await server.CreateAccountAsync("hubspot", Context("access-0", "refresh-0", expired: true));

            using var deleted = await server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");
            var account = (await server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;

            Assert.Equal(HttpStatusCode.GatewayTimeout, deleted.StatusCode);
            Assert.Equal("active", (string?)account["status"]);
            Assert.Single(_provider.TokenRequests);
            Assert.Empty(_provider.Calls);
        }
        finally
        {
            never.SetResult();
        }
    }

    [Fact]
    public async Task Fifty_concurrent_deletes_of_one_expired_account_send_one_token_request()
    {
        await using var server = await StartAsync();
        var id = await server.CreateAccountAsync("hubspot", Context("access-0", "refresh-0", expired: true));

        var deletes = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => server.Client.DeleteAsync($"/unified/crm/contacts/{i}?integrated_account_id={id}")));

        Assert.All(deletes, d => Assert.Equal(HttpStatusCode.OK, d.StatusCode));
        Assert.Single(_provider.TokenRequests);
        foreach (var d in deletes)
        {
            d.Dispose();
        }
    }

    [Fact]
    public async Task No_client_secret_or_token_is_logged()
    {
        var logs = new CollectingLoggerProvider();
        _provider.ValidAccessToken = "revoked";
        await using (var server = await StartAsync(logs))
        {
            var id = await server.CreateAccountAsync("hubspot", Context("access-0", "refresh-0", expired: false));
            using var ok = await server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            _provider.ValidRefreshToken = "other";
            _provider.ValidAccessToken = "revoked-again";
            using var refused = await server.Client.DeleteAsync($"/unified/crm/contacts/52?integrated_account_id={id}");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var text = string.Join('\n', logs.Messages.Select(m => m.Message));
        Assert.Contains("token endpoint", text, StringComparison.Ordinal);
        foreach (var secret in new[] { ClientSecret, "access-0", "access-1", "refresh-0", "refresh-1" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _provider = await OAuthLoopbackServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing connection: the temp folder is cleaned up later.
        }
    }

    private static JsonObject Context(string accessToken, string refreshToken, bool expired)
        => new()
        {
            ["oauth"] = new JsonObject
            {
                ["token"] = new JsonObject
                {
                    ["access_token"] = accessToken,
                    ["refresh_token"] = refreshToken,
                    ["expires_at"] = (DateTimeOffset.UtcNow + (expired ? TimeSpan.FromMinutes(-1) : TimeSpan.FromMinutes(30))).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                },
            },
        };

    /// <summary>A server on this test's database file and key ring, HubSpot's token URL and API pointed at the loopback provider, plus <paramref name="settings"/>.</summary>
    private Task<TestServer> StartAsync(CollectingLoggerProvider? logs = null, params string[] settings)
        => TestServer.StartAsync(
            logs is null ? null : builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace),
            [
                $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
                $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}",
                $"--Providers:hubspot:BaseUrl={_provider.Url}",
                $"--Providers:hubspot:TokenUrl={_provider.TokenUrl}",
                "--Providers:hubspot:ClientId=hubspot-client",
                $"--Providers:hubspot:ClientSecret={ClientSecret}",
                "--Runtime:RetryBaseDelay=00:00:00",
                .. settings,
            ]);
}
