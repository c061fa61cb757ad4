using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Truto.Mappings.Accounts;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.OAuth;
using Truto.Mappings.Operations;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.OAuth;

/// <summary>The token client against a loopback token endpoint: grants, encodings, client authentication, the context it writes, and failures.</summary>
public sealed class OAuthTokenClientTests
{
    private const string Secret = "client-secret-s3cr3t";
    private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_code_exchange_sends_the_authorization_code_grant_in_a_form_and_writes_Trutos_context_shape()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server);

        var result = await client.ExchangeCodeAsync(new OAuthTestProvider(), AccountContext.Parse("""{"region":"eu"}"""), "the-code", "https://app.example/connect/callback", "the-verifier", CancellationToken.None);

        Assert.Null(result.Error);
        var sent = Assert.Single(server.TokenRequests);
        Assert.StartsWith("application/x-www-form-urlencoded", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal("authorization_code", sent.Parameters["grant_type"]);
        Assert.Equal("the-code", sent.Parameters["code"]);
        Assert.Equal("https://app.example/connect/callback", sent.Parameters["redirect_uri"]);
        Assert.Equal("the-verifier", sent.Parameters["code_verifier"]);
        Assert.Equal("client-1", sent.Parameters["client_id"]);
        Assert.Equal(Secret, sent.Parameters["client_secret"]);
        Assert.Null(sent.Authorization);
        var context = new AccountContext(result.Context!.Value);
        Assert.Equal("access-1", context.Find(OAuthContextKeys.AccessToken));
        Assert.Equal("refresh-1", context.Find(OAuthContextKeys.RefreshToken));
        Assert.Equal("2026-12-01T11:00:00Z", context.Find(OAuthContextKeys.ExpiresAt));
        Assert.Equal("bearer", context.Find(OAuthContextKeys.TokenType));
        Assert.Equal("contacts", context.Find(OAuthContextKeys.Scope));
        Assert.Equal(server.Origin, context.Find("api_domain"));
        Assert.Equal("eu", context.Find("region"));
        // Nested, as Truto stores it.
        Assert.Equal("access-1", result.Context.Value.GetProperty("oauth").GetProperty("token").GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task Basic_client_authentication_and_JSON_encoding_keep_the_secret_out_of_the_body()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server);

        var result = await client.ExchangeCodeAsync(new OAuthTestProvider(OAuthClientAuthentication.Basic, OAuthRequestEncoding.Json), AccountContext.Parse("{}"), "c", "https://app.example/cb", null, CancellationToken.None);

        Assert.Null(result.Error);
        var sent = Assert.Single(server.TokenRequests);
        Assert.StartsWith("application/json", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("client-1:" + Secret)), sent.Authorization);
        Assert.False(sent.Parameters.ContainsKey("client_secret"));
        Assert.False(sent.Parameters.ContainsKey("code_verifier"));
        Assert.Equal("c", sent.Parameters["code"]);
    }

    [Fact]
    public async Task A_refresh_replaces_a_rotated_refresh_token_and_keeps_one_the_answer_omits()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server);
        var provider = new OAuthTestProvider();
        var context = Context("access-0", "refresh-0");

        var rotated = await client.RefreshAsync(provider, context, CancellationToken.None);
        Assert.Equal("refresh_token", server.TokenRequests[0].Parameters["grant_type"]);
        Assert.Equal("refresh-0", server.TokenRequests[0].Parameters["refresh_token"]);
        Assert.Equal("refresh-1", rotated.Context!.Find(OAuthContextKeys.RefreshToken));
        Assert.Equal("access-1", rotated.Context.Find(OAuthContextKeys.AccessToken));

        server.Rotate = false;
        var kept = await client.RefreshAsync(provider, rotated.Context, CancellationToken.None);
        Assert.Equal("refresh-1", kept.Context!.Find(OAuthContextKeys.RefreshToken));
        Assert.Equal("access-2", kept.Context.Find(OAuthContextKeys.AccessToken));
    }

    [Fact]
    public async Task Invalid_grant_is_a_refusal_with_the_providers_message_and_no_secret()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-revoked"), CancellationToken.None);

        Assert.True(outcome.Rejected);
        Assert.Equal(401, outcome.Error!.StatusCode);
        Assert.Contains("invalid_grant: refresh token is invalid", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh-revoked", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, outcome.Error.Message, StringComparison.Ordinal);
        Assert.Single(server.TokenRequests);
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "{}")]
    [InlineData(400, """{"error":"invalid_request"}""")]
    [InlineData(200, """{"error":"invalid_code"}""")]
    public async Task Any_400_or_401_and_a_200_with_an_error_member_are_a_refusal_of_the_grant(int status, string body)
    {
        // Not every provider says invalid_grant (issue 10: "invalid_grant, or a 400/401 from the token endpoint"); Zoho answers 200 with an error.
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.TokenAnswer = _ => (status, body);
        var client = TokenClient(server);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-0"), CancellationToken.None);

        Assert.True(outcome.Rejected);
        Assert.Equal(401, outcome.Error!.StatusCode);
        Assert.Single(server.TokenRequests);
    }

    [Fact]
    public async Task Invalid_client_blames_the_configured_app_not_the_account()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.TokenAnswer = _ => (401, """{"error":"invalid_client","error_description":"bad client secret"}""");
        var client = TokenClient(server);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-0"), CancellationToken.None);

        Assert.False(outcome.Rejected);
        Assert.Equal(502, outcome.Error!.StatusCode);
        Assert.Contains("Providers:oauthtest:ClientId", outcome.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, outcome.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_endpoint_500_is_tried_again_then_a_502_that_is_no_refusal()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        server.TokenAnswer = _ => (500, """{"error":"server_error"}""");
        var client = TokenClient(server);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-0"), CancellationToken.None);

        Assert.False(outcome.Rejected);
        Assert.Equal(502, outcome.Error!.StatusCode);
        Assert.Equal(3, server.TokenRequests.Count);
    }

    [Fact]
    public async Task A_token_request_that_timed_out_is_a_504_and_not_sent_again()
    {
        // A rotating provider may have issued new tokens for the request that timed out: sending the
        // old refresh token again would be refused as invalid_grant and mark the account needs_reauth.
        await using var server = await OAuthLoopbackServer.StartAsync();
        var never = new TaskCompletionSource();
        server.HoldTokenAnswer = never.Task;
        using var logs = new CapturingLoggerProvider();
        var client = TokenClient(server, providerTimeout: TimeSpan.FromMilliseconds(300), logs: logs);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-0"), CancellationToken.None);

        Assert.False(outcome.Rejected);
        Assert.Equal(504, outcome.Error!.StatusCode);
        Assert.Single(logs.Lines, l => l.Contains("timeout", StringComparison.Ordinal));
        never.SetResult();
    }

    [Fact]
    public async Task Without_a_configured_OAuth_app_nothing_is_sent()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server, configured: false);

        var outcome = await client.RefreshAsync(new OAuthTestProvider(), Context("access-0", "refresh-0"), CancellationToken.None);

        Assert.Equal(500, outcome.Error!.StatusCode);
        Assert.Contains("Providers:oauthtest:ClientId", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Empty(server.TokenRequests);
    }

    [Fact]
    public async Task A_YAML_token_URL_passes_the_egress_checks_of_provider_calls()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var undeclared = await TokenClient(server, tokenUrl: false).RefreshAsync(new OAuthTestProvider(tokenUrl: "https://evil.example/token"), Context("a", "r"), CancellationToken.None);
        var loopback = await TokenClient(server, tokenUrl: false).RefreshAsync(new OAuthTestProvider(tokenUrl: server.TokenUrl), Context("a", "refresh-0"), CancellationToken.None);
        Assert.Empty(server.TokenRequests);
        var allowed = await TokenClient(server, tokenUrl: false, allow: server.Origin).RefreshAsync(new OAuthTestProvider(tokenUrl: server.TokenUrl), Context("a", "refresh-0"), CancellationToken.None);

        Assert.Equal(400, undeclared.Error!.StatusCode);
        Assert.Contains("evil.example", undeclared.Error.Message, StringComparison.Ordinal);
        Assert.Equal(400, loopback.Error!.StatusCode);
        Assert.Null(allowed.Error);
        Assert.Single(server.TokenRequests);
    }

    [Fact]
    public async Task Where_the_provider_wants_it_the_code_exchange_and_the_refresh_send_the_scope_built_from_the_account()
    {
        await using var server = await OAuthLoopbackServer.StartAsync();
        var client = TokenClient(server);
        var provider = new OAuthTestProvider(scopeFromContext: true);
        var context = AccountContext.Parse("""{"region_url":"https://eu.oauth.test.example","oauth":{"token":{"access_token":"a","refresh_token":"refresh-0"}}}""");

        var refreshed = await client.RefreshAsync(provider, context, CancellationToken.None);
        var exchanged = await client.ExchangeCodeAsync(provider, context, "the-code", "https://app.example/cb", null, CancellationToken.None);
        await client.RefreshAsync(new OAuthTestProvider(), Context("a", server.ValidRefreshToken), CancellationToken.None);

        Assert.Null(refreshed.Error);
        Assert.Null(exchanged.Error);
        Assert.Equal(["refresh_token", "authorization_code", "refresh_token"], server.TokenRequests.Select(r => r.Parameters["grant_type"]));
        Assert.Equal("https://eu.oauth.test.example/all offline_access", server.TokenRequests[0].Parameters["scope"]);
        Assert.Equal("https://eu.oauth.test.example/all offline_access", server.TokenRequests[1].Parameters["scope"]);
        // Constant scopes travel in the authorize URL only, as before.
        Assert.False(server.TokenRequests[2].Parameters.ContainsKey("scope"));
    }

    [Theory]
    [InlineData("""{"oauth":{"token":{"access_token":"a","refresh_token":"refresh-0"}}}""")]
    [InlineData("""{"region_url":"http://eu.oauth.test.example","oauth":{"token":{"access_token":"a","refresh_token":"refresh-0"}}}""")]
    [InlineData("""{"region_url":"https://eu.oauth.test.example extra","oauth":{"token":{"access_token":"a","refresh_token":"refresh-0"}}}""")]
    public async Task A_scope_key_missing_or_not_of_its_shape_is_a_400_naming_it_and_nothing_is_sent(string json)
    {
        await using var server = await OAuthLoopbackServer.StartAsync();

        var outcome = await TokenClient(server).RefreshAsync(new OAuthTestProvider(scopeFromContext: true), AccountContext.Parse(json), CancellationToken.None);

        Assert.Equal(400, outcome.Error!.StatusCode);
        Assert.Contains("region_url", outcome.Error.Message, StringComparison.Ordinal);
        Assert.Empty(server.TokenRequests);
    }

    internal static AccountContext Context(string accessToken, string refreshToken, string? expiresAt = null)
        => new(JsonSerializer.SerializeToElement(new
        {
            oauth = new { token = new { access_token = accessToken, refresh_token = refreshToken, expires_at = expiresAt } },
        }, SkipNulls));

    private static OAuthTokenClient TokenClient(OAuthLoopbackServer server, bool configured = true, bool tokenUrl = true, string? allow = null, TimeSpan? providerTimeout = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        // A fake clock fixes expires_at; a real one when the test needs the attempt timeout to fire.
        services.AddSingleton(providerTimeout is null ? new FakeTimeProvider(Now) : TimeProvider.System);
        if (logs is not null)
        {
            services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }
        services.AddTrutoMappingsRuntime(new OperationTable([]), o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            o.ProviderTimeout = providerTimeout ?? o.ProviderTimeout;
            if (configured)
            {
                o.OAuthClients["oauthtest"] = new OAuthClientOptions { ClientId = "client-1", ClientSecret = Secret, TokenUrl = tokenUrl ? server.TokenUrl : null };
            }
            if (allow is not null)
            {
                o.Egress.AllowedBaseUrls.Add(allow);
            }
        });
        return services.BuildServiceProvider().GetRequiredService<OAuthTokenClient>();
    }
}
