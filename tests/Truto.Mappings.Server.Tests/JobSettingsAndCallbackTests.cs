using System.Text;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Jobs;
using Truto.Mappings.Server.Tests.Infrastructure;
using static Truto.Mappings.Server.Tests.Infrastructure.JobApi;

namespace Truto.Mappings.Server.Tests;

/// <summary>The <c>Jobs</c> settings checked at start, callback signatures, and a callback that keeps failing.</summary>
public sealed class JobSettingsAndCallbackTests
{
    private const string Secret = "test-callback-signing-secret-0123456789";

    [Theory]
    [InlineData("--Jobs:SliceSize=0", "Jobs:SliceSize")]
    [InlineData("--Jobs:SliceSize=20000", "Jobs:SliceSize")]
    [InlineData("--Jobs:LeaseDuration=00:00:00.100", "Jobs:LeaseDuration")]
    [InlineData("--Jobs:PollInterval=00:00:00", "Jobs:PollInterval")]
    [InlineData("--Jobs:Workers=-1", "Jobs:Workers")]
    [InlineData("--Jobs:CallbackAttempts=0", "Jobs:CallbackAttempts")]
    [InlineData("--Jobs:Retention=01:00:00", "Jobs:Retention")]
    [InlineData("--Jobs:MaxAttempts=0", "Jobs:MaxAttempts")]
    [InlineData("--Jobs:Retention=5000.00:00:00", "Jobs:Retention")]
    [InlineData("--Jobs:CallbackSigningSecret=short-secret", "Jobs:CallbackSigningSecret")]
    public async Task A_job_setting_out_of_range_stops_the_start_naming_it(string argument, string key)
    {
        var failure = await Assert.ThrowsAsync<StartupException>(() => TestServer.StartAsync(argument));

        Assert.StartsWith(key + " ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_verifies_only_for_its_secret_body_and_a_recent_timestamp()
    {
        var body = Encoding.UTF8.GetBytes("{\"id\":\"j1\",\"status\":\"succeeded\"}");
        var now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var header = CallbackSignature.Create(Secret, now.ToUnixTimeSeconds(), body);

        Assert.Matches("^t=1800000000,v1=[0-9a-f]{64}$", header);
        Assert.True(CallbackSignature.Verify(Secret, header, body, now.AddSeconds(30), TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Secret, header, Encoding.UTF8.GetBytes("{\"id\":\"j1\",\"status\":\"failed\"}"), now, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Secret + "x", header, body, now, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Secret, header, body, now.AddMinutes(10), TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Secret, header.Replace("t=1800000000", "t=1800000001", StringComparison.Ordinal), body, now, TimeSpan.FromMinutes(5)));
        Assert.False(CallbackSignature.Verify(Secret, "v1=zz", body, now, TimeSpan.FromMinutes(5)));
        // The documented recipe: HMAC-SHA256(secret, "{t}.{body}") in lower-case hex.
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes("1800000000." + Encoding.UTF8.GetString(body))));
        Assert.Equal("t=1800000000,v1=" + expected, header);
    }

    [Fact]
    public async Task A_callback_that_keeps_failing_is_retried_then_marked_failed_on_the_job_and_logged_without_the_url_or_secret()
    {
        await using var provider = await FanOutProvider.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        receiver.Status = 500;
        var logs = new CollectingLoggerProvider();
        await using var server = await TestServer.StartAsync(builder => builder.Logging.AddProvider(logs),
            $"--Jobs:CallbackSigningSecret={Secret}", "--Jobs:CallbackAttempts=3", "--Jobs:CallbackRetryDelay=00:00:00.010", provider.AllowArgument(), receiver.AllowArgument(1));
        var account = await server.CreateAccountAsync("close", provider.Context());

        using var started = await StartAsync(server.Client, account, Ids(1, 2), $"\"callback_url\": \"{receiver.Url}hook?token=abc\"");
        var job = await PollAsync(server.Client, started.Headers.Location!, j => (string?)j["callback"]?["status"] == "failed");
        var deliveries = new[] { await receiver.NextAsync(), await receiver.NextAsync(), await receiver.NextAsync() };

        Assert.Equal("succeeded", (string?)job["status"]);
        Assert.Equal(3, (int)job["callback"]!["attempts"]!);
        Assert.Equal("HTTP 500", (string?)job["callback"]!["last_error"]);
        Assert.All(deliveries, d => Assert.True(CallbackSignature.Verify(Secret, d.Signature, d.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5))));
        // Every try carries the same body, with no callback member whose attempts would change.
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].Body, d.Body));
        Assert.DoesNotContain("\"callback\"", Encoding.UTF8.GetString(deliveries[0].Body), StringComparison.Ordinal);
        var text = string.Join("\n", logs.Messages.Select(m => m.Message));
        Assert.Contains("was given up", text, StringComparison.Ordinal);
        Assert.DoesNotContain("token=abc", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
    }
}
