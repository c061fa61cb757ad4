using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>The one request line per request: what it says, what it never says, and that it is written once the answer is sent.</summary>
public sealed class RequestLogTests
{
    [Fact]
    public async Task Each_request_is_logged_once_after_its_answer_with_path_provider_status_and_request_id_but_no_query()
    {
        await using var provider = await ReplayServer.StartAsync();
        provider.Load([new RecordedAnswer(204, new Dictionary<string, string>(), null, "application/json")]);
        var logs = new CollectingLoggerProvider();
        await using var server = await TestServer.StartAsync(builder => builder.Logging.AddProvider(logs), provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "hubspot-token" } },
        });
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/51?integrated_account_id={account}&remote_query[secret]=query-secret");
        request.Headers.Add(RequestLogging.Header, "req-log-1");

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // Written after the answer was sent: wait for it rather than read at once.
        var line = await WaitForLineAsync(logs, "request=req-log-1");
        Assert.Equal("DELETE /unified/crm/contacts/51 provider=hubspot status=200", line[..line.IndexOf(" in ", StringComparison.Ordinal)]);
        Assert.EndsWith(" ms request=req-log-1", line, StringComparison.Ordinal);
        Assert.DoesNotContain("query-secret", line, StringComparison.Ordinal);
        Assert.DoesNotContain(account, line, StringComparison.Ordinal);
        Assert.Single(logs.Messages, m => m.Message.Contains("request=req-log-1", StringComparison.Ordinal));
    }

    private static async Task<string> WaitForLineAsync(CollectingLoggerProvider logs, string marker)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = logs.Messages.FirstOrDefault(m => m.Category == typeof(RequestLogging).FullName && m.Message.Contains(marker, StringComparison.Ordinal));
            if (found.Message is { } message)
            {
                return message;
            }
            await Task.Delay(20, timeout.Token);
        }
    }
}
