using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.OAuth;
using Truto.Mappings.Operations;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Schema;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.OAuth;

/// <summary>Proactive and reactive refresh through the real client, transport and token client, against a loopback OAuth provider.</summary>
public sealed class TokenRefreshTests
{
    private const string Secret = "client-secret-s3cr3t";

    private static readonly UnifiedResource Resource = new("crm", "contacts", "", [], [],
    [
        new UnifiedMethod("delete", OperationShape.Single, "DELETE", "/unified/crm/contacts/{id}", "Delete", "", false, [], [], []),
        new UnifiedMethod("batch_delete", OperationShape.Batch, "POST", "/unified/crm/contacts/batch-delete", "Batch", "", true, [], [], []),
    ]);

    [Fact]
    public async Task A_token_expiring_within_the_skew_is_refreshed_and_saved_before_the_call()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var store = new RecordingTokenStore(server);
        var client = Client(server, store);
        var account = Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(30));

        var result = await client.DeleteAsync(account, "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Single(server.TokenRequests);
        Assert.Equal(["DELETE /contacts/51 Bearer access-1"], server.Calls);
        var saved = Assert.Single(store.Saved);
        Assert.Equal(0, saved.CallsBefore);
        Assert.Equal("refresh-1", saved.Context.Find(OAuthContextKeys.RefreshToken));
        Assert.Equal("access-1", result.RefreshedContext!.Find(OAuthContextKeys.AccessToken));
    }

    [Fact]
    public async Task A_token_valid_beyond_the_skew_is_used_as_it_is()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = Client(server, null);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromMinutes(5)), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Empty(server.TokenRequests);
        Assert.Null(result.RefreshedContext);
    }

    [Fact]
    public async Task An_account_with_only_an_access_token_is_sent_as_it_is_and_its_401_is_the_answer()
    {
        // Accounts made before OAuth refresh existed: a pasted access token, no refresh token.
        await using var server = await OAuthLoopbackServer.StartAsync();
        var store = new RecordingTokenStore(server);
        var client = Client(server, store);
        var expiredAt = OAuthContextWriter.FormatInstant(DateTimeOffset.UtcNow.AddMinutes(-1));
        var pasted = new IntegratedAccount("acc-pasted", "oauthtest", new AccountContext(JsonSerializer.SerializeToElement(new { oauth = new { token = new { access_token = "access-0", expires_at = expiredAt } } })));

        var stillAccepted = await client.DeleteAsync(pasted, "51");
        server.ValidAccessToken = "access-the-provider-issued-since";
        var refused = await client.DeleteAsync(pasted, "52");

        Assert.Equal(200, stillAccepted.StatusCode);
        Assert.Equal(401, refused.StatusCode);
        Assert.Equal(["DELETE /contacts/51 Bearer access-0", "DELETE /contacts/52 Bearer access-0"], server.Calls);
        Assert.Empty(server.TokenRequests);
        Assert.Empty(store.Marked);
    }

    [Fact]
    public async Task A_401_refreshes_once_saves_and_retries_the_call_once_with_the_new_token()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-revoked-elsewhere";
        var store = new RecordingTokenStore(server);
        var client = Client(server, store);

        var result = await client.DeleteAsync(Account(server, "access-0"), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["DELETE /contacts/51 Bearer access-0", "DELETE /contacts/51 Bearer access-1"], server.Calls);
        Assert.Single(server.TokenRequests);
        Assert.Equal(1, Assert.Single(store.Saved).CallsBefore);
    }

    [Fact]
    public async Task The_retried_call_uses_the_context_the_store_holds_after_saving_newer_tokens_a_patch_wrote_meanwhile_included()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-revoked-elsewhere";
        var store = new SupersedingTokenStore(server);
        var client = Client(server, store);

        var result = await client.DeleteAsync(Account(server, "access-0"), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["DELETE /contacts/51 Bearer access-0", "DELETE /contacts/51 Bearer access-pasted"], server.Calls);
        Assert.Equal("access-pasted", result.RefreshedContext!.Find(OAuthContextKeys.AccessToken));
    }

    [Fact]
    public async Task A_second_401_after_the_refresh_is_the_providers_answer()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "never-issued";
        server.TokenAnswer = _ => (200, """{"access_token":"access-also-refused","expires_in":3600}""");
        var client = Client(server, null);

        var result = await client.DeleteAsync(Account(server, "access-0"), "51");

        Assert.Equal(401, result.StatusCode);
        Assert.Equal(2, server.Calls.Count);
        Assert.Single(server.TokenRequests);
    }

    [Fact]
    public async Task An_error_code_declared_as_token_expired_refreshes_like_a_401()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-revoked-elsewhere";
        server.ExpiredAnswer = (400, """{"code":"INVALID_SESSION","message":"Session expired or invalid"}""");
        var client = Client(server, null);

        var result = await client.DeleteAsync(Account(server, "access-0"), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Single(server.TokenRequests);
        Assert.Equal("DELETE /contacts/51 Bearer access-1", server.Calls[^1]);
    }

    [Fact]
    public async Task Fifty_concurrent_deletes_of_one_expired_account_send_one_token_request()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var release = new TaskCompletionSource();
        server.HoldTokenAnswer = release.Task;
        var client = Client(server, null);
        var account = Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(-10));

        var deletes = Enumerable.Range(1, 50).Select(i => Task.Run(() => client.DeleteAsync(account, i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        while (server.TokenRequests.Count == 0)
        {
            await Task.Yield();
        }
        release.SetResult();
        var results = await Task.WhenAll(deletes);

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Single(server.TokenRequests);
        Assert.Equal(50, server.Calls.Count(c => c.EndsWith("Bearer access-1", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_call_of_a_batch_native_or_fan_out_is_retried_with_the_one_refreshed_token(bool fanOut)
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-revoked-elsewhere";
        var client = Client(server, null, fanOut);

        var result = await client.BatchDeleteAsync(Account(server, "access-0"), ["a", "b", "c", "d", "e", "f"]);

        Assert.Equal(200, result.StatusCode);
        using var body = result.ParseJson();
        Assert.Equal(6, body.RootElement.GetProperty("result").GetArrayLength());
        Assert.Single(server.TokenRequests);
        Assert.Equal(fanOut ? 6 : 3, server.Calls.Count(c => c.EndsWith("Bearer access-1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Invalid_grant_marks_the_account_and_answers_401_without_asking_again_for_the_same_tokens()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidRefreshToken = "refresh-other";
        var store = new RecordingTokenStore(server);
        var client = Client(server, store);
        var account = Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(-10));

        var first = await client.DeleteAsync(account, "51");
        var second = await client.DeleteAsync(account, "52");

        Assert.Equal(401, first.StatusCode);
        Assert.Contains("reconnected", first.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(401, second.StatusCode);
        Assert.Single(server.TokenRequests);
        Assert.Empty(server.Calls);
        var marked = Assert.Single(store.Marked);
        Assert.Contains("invalid_grant", marked.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_refreshes_are_counted_once_per_token_request_by_outcome()
    {
        // The tests of this class run one after another, and only they refresh "oauthtest" accounts.
        using var metrics = new MetricRecorder();
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = Client(server, null);
        var expired = Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(-10));

        var results = await Task.WhenAll(Enumerable.Range(1, 5).Select(i => client.DeleteAsync(expired, i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        server.ValidRefreshToken = "refresh-other";
        var refused = await client.DeleteAsync(Account(server, "access-9", expiresIn: TimeSpan.FromSeconds(-10), refreshToken: "refresh-9"), "9");

        Assert.All(results, r => Assert.Equal(200, r.StatusCode));
        Assert.Equal(401, refused.StatusCode);
        var refreshes = metrics.Of("truto.oauth.token.refreshes", "oauthtest");
        Assert.Equal(1, refreshes.Where(m => Equals(m["truto.outcome"], "issued")).Sum(m => m.Value));
        Assert.Equal(1, refreshes.Where(m => Equals(m["truto.outcome"], "refused")).Sum(m => m.Value));
        Assert.Equal(2, refreshes.Count);
    }

    [Fact]
    public async Task A_token_endpoint_500_is_a_502_and_the_account_is_not_marked()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.TokenAnswer = _ => (500, "{}");
        var store = new RecordingTokenStore(server);
        var client = Client(server, store);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(-10)), "51");

        Assert.Equal(502, result.StatusCode);
        Assert.Empty(store.Marked);
        Assert.Empty(store.Saved);
        Assert.Equal(3, server.TokenRequests.Count);
    }

    [Fact]
    public async Task Tokens_that_could_not_be_saved_are_not_used_and_the_call_is_a_503()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = Client(server, new FailingTokenStore());

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(-10)), "51");

        Assert.Equal(503, result.StatusCode);
        Assert.Single(server.TokenRequests);
        Assert.Empty(server.Calls);
        Assert.Null(result.RefreshedContext);
    }

    [Fact]
    public async Task No_token_or_client_secret_reaches_the_logs_or_the_answer()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-revoked-elsewhere";
        using var logs = new ListLoggerProvider();
        var client = Client(server, null, logs: logs);

        var ok = await client.DeleteAsync(Account(server, "access-0"), "51");
        server.ValidRefreshToken = "refresh-other";
        server.ValidAccessToken = "gone";
        var refused = await client.DeleteAsync(Account(server, "access-1", refreshToken: "refresh-1"), "52");

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(401, refused.StatusCode);
        var text = string.Join('\n', logs.Lines) + System.Text.Encoding.UTF8.GetString(refused.Body.Span);
        Assert.Contains("token endpoint", text, StringComparison.Ordinal);
        foreach (var secret in new[] { Secret, "access-0", "access-1", "refresh-0", "refresh-1" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_finished_token_request_is_forgotten_once_no_call_can_still_join_it()
    {
        // Without the sweep every account ever refreshed would keep an entry (and its stale tokens) for the life of the process.
        await using var server = await OAuthLoopbackServer.StartAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection().AddSingleton<TimeProvider>(time);
        var provider = new OAuthTestProvider();
        services.AddTrutoMappingsRuntime(new OperationTable([new UnifiedOperation(Resource, "delete", [provider.Delete])]), o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            o.ProviderBaseUrls["oauthtest"] = server.Url.ToString();
            o.OAuthClients["oauthtest"] = new OAuthClientOptions { ClientId = "client-1", ClientSecret = Secret, TokenUrl = server.TokenUrl };
        });
        await using var built = services.BuildServiceProvider();
        var client = built.GetRequiredService<UnifiedContactsClient>();
        var refresher = built.GetRequiredService<TokenRefresher>();
        var expired = OAuthContextWriter.FormatInstant(time.GetUtcNow() - TimeSpan.FromMinutes(1));

        await client.DeleteAsync(new IntegratedAccount("acc-1", "oauthtest", OAuthTokenClientTests.Context("access-0", "refresh-0", expired)), "51");
        Assert.Equal(1, refresher.FlightCount);

        time.Advance(new TrutoMappingsOptions().CallDeadline * 2 + TimeSpan.FromSeconds(1));
        await client.DeleteAsync(new IntegratedAccount("acc-2", "oauthtest", OAuthTokenClientTests.Context("access-1", "refresh-1", expired)), "52");

        Assert.Equal(1, refresher.FlightCount);
    }

    /// <summary>A store where an operator's PATCH replaced the tokens while the refresh was out: its tokens are the ones kept.</summary>
    private sealed class SupersedingTokenStore(OAuthLoopbackServer server) : IAccountTokenStore
    {
        public Task<AccountContext?> SaveTokensAsync(string accountId, OAuthTokenUpdate update, CancellationToken cancellationToken)
        {
            // The pasted token is the one the provider accepts now.
            server.ValidAccessToken = "access-pasted";
            return Task.FromResult<AccountContext?>(OAuthTokenClientTests.Context("access-pasted", "refresh-pasted", null));
        }

        public Task MarkNeedsReauthAsync(string accountId, AccountContext refused, string message, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A store whose disk is gone.</summary>
    private sealed class FailingTokenStore : IAccountTokenStore
    {
        public Task<AccountContext?> SaveTokensAsync(string accountId, OAuthTokenUpdate update, CancellationToken cancellationToken) => throw new IOException("disk full");

        public Task MarkNeedsReauthAsync(string accountId, AccountContext refused, string message, DateTimeOffset at, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Tokens_another_process_stored_while_this_one_waited_for_the_refresh_lock_are_used_without_a_token_request()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.ValidAccessToken = "access-elsewhere";
        var stored = OAuthTokenClientTests.Context("access-elsewhere", "refresh-elsewhere", OAuthContextWriter.FormatInstant(DateTimeOffset.UtcNow.AddHours(1)));
        var refreshLock = new ScriptedRefreshLock(stored);
        var store = new RecordingTokenStore(server);
        var client = Client(server, store, refreshLock: refreshLock);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(30)), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Empty(server.TokenRequests);
        Assert.Empty(store.Saved);
        Assert.Equal(["DELETE /contacts/51 Bearer access-elsewhere"], server.Calls);
        Assert.Equal((1, 1), (refreshLock.Taken, refreshLock.Released));
    }

    [Fact]
    public async Task Under_the_refresh_lock_a_stored_token_that_is_expiring_too_is_refreshed_from_the_stored_refresh_token_before_the_lock_is_released()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        // Another process rotated the refresh token, but its access token expires within the skew as well.
        server.ValidRefreshToken = "refresh-rotated";
        var stored = OAuthTokenClientTests.Context("access-other", "refresh-rotated", OAuthContextWriter.FormatInstant(DateTimeOffset.UtcNow.AddSeconds(10)));
        var refreshLock = new ScriptedRefreshLock(stored) { TokenRequestsNow = () => server.TokenRequests.Count };
        var store = new RecordingTokenStore(server);
        var client = Client(server, store, refreshLock: refreshLock);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(30)), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("refresh-rotated", Assert.Single(server.TokenRequests).Parameters["refresh_token"]);
        Assert.Single(store.Saved);
        Assert.Equal(1, refreshLock.TokenRequestsAtRelease);
        Assert.Equal((1, 1), (refreshLock.Taken, refreshLock.Released));
    }

    [Fact]
    public async Task A_refresh_lock_whose_release_fails_does_not_fail_the_call_whose_tokens_are_stored()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var refreshLock = new ScriptedRefreshLock(null) { ReleaseFailure = new IOException("connection reset") };
        var store = new RecordingTokenStore(server);
        var client = Client(server, store, refreshLock: refreshLock);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(30)), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Single(store.Saved);
        Assert.Equal(1, refreshLock.Released);
    }

    [Fact]
    public async Task A_refresh_lock_that_cannot_be_taken_is_a_503_without_a_token_request_or_a_call()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var refreshLock = new ScriptedRefreshLock(null, new IOException("database down"));
        var client = Client(server, new RecordingTokenStore(server), refreshLock: refreshLock);

        var result = await client.DeleteAsync(Account(server, "access-0", expiresIn: TimeSpan.FromSeconds(30)), "51");

        Assert.Equal(503, result.StatusCode);
        Assert.Contains("refresh lock could not be taken", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(server.TokenRequests);
        Assert.Empty(server.Calls);
    }

    private static IntegratedAccount Account(OAuthLoopbackServer server, string accessToken, TimeSpan? expiresIn = null, string refreshToken = "refresh-0")
    {
        var expiresAt = expiresIn is { } lifetime ? OAuthContextWriter.FormatInstant(DateTimeOffset.UtcNow + lifetime) : null;
        return new IntegratedAccount("acc-oauth", "oauthtest", OAuthTokenClientTests.Context(accessToken, refreshToken, expiresAt));
    }

    private static UnifiedContactsClient Client(OAuthLoopbackServer server, IAccountTokenStore? store, bool fanOut = false, ILoggerProvider? logs = null, IAccountRefreshLock? refreshLock = null)
    {
        var provider = new OAuthTestProvider();
        var services = new ServiceCollection();
        if (store is not null)
        {
            services.AddSingleton(store);
        }
        if (refreshLock is not null)
        {
            services.AddSingleton(refreshLock);
        }
        if (logs is not null)
        {
            services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }
        ProviderOperation batch = fanOut ? provider.FanOut : provider.Batch;
        var table = new OperationTable([new UnifiedOperation(Resource, "delete", [provider.Delete]), new UnifiedOperation(Resource, "batch_delete", [batch])]);
        services.AddTrutoMappingsRuntime(table, o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            o.ProviderBaseUrls["oauthtest"] = server.Url.ToString();
            o.OAuthClients["oauthtest"] = new OAuthClientOptions { ClientId = "client-1", ClientSecret = Secret, TokenUrl = server.TokenUrl };
        });
        return services.BuildServiceProvider().GetRequiredService<UnifiedContactsClient>();
    }
}
