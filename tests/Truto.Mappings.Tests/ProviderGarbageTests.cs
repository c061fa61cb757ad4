using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// Nothing a provider sends turns into a 500 (or an exception) once it may have acted: every
/// provider's generated adapter, over real HTTP, against rate-limit headers that overflow or make
/// no sense, a huge Retry-After, and bodies of the wrong shape, for delete and batch-delete.
/// </summary>
public sealed class ProviderGarbageTests : IAsyncLifetime
{
    private static readonly string FixturesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Fixtures");

    private static readonly Dictionary<string, string>[] OddHeaders =
    [
        Headers("1e25"),
        Headers("-1"),
        Headers("NaN"),
        Headers("99999999999999999999999999999999"),
        Headers("") ,
        new()
        {
            ["Sforce-Limit-Info"] = "api-usage=99999999999999999999999/1e25",
            ["RateLimit"] = "limit=99999999999999999999, remaining=99999999999999999999, reset=99999999999999999999",
            ["Retry-After"] = "2147483647",
        },
        new() { ["Sforce-Limit-Info"] = "api-usage=5/-1", ["Retry-After"] = "Fri, 31 Dec 9999 23:59:59 GMT" },
        new() { ["Retry-After"] = "99999999999999999999" },
    ];

    private static readonly string[] OddBodies =
    [
        "[]", "\"text\"", "12345678901234567890123456789", "null", "true",
        """{"results": "x", "data": 5, "errors": {"a": 1}, "id": {"deep": [1, {"x": null}]}}""",
        """[{"id": null, "success": "yes", "errors": 7}, 3, "x", []]""",
        """{"data": {"delete_item": [1, 2]}, "success": "maybe", "status": {"code": "x"}}""",
        string.Concat(Enumerable.Repeat("[", 60)) + string.Concat(Enumerable.Repeat("]", 60)),
    ];

    private ReplayServer _server = null!;
    private ServiceProvider _services = null!;

    public static TheoryData<string> Providers()
    {
        var providers = new TheoryData<string>();
        foreach (var directory in Directory.EnumerateDirectories(FixturesDirectory).Where(d => File.Exists(Path.Combine(d, "account.json"))).Order(StringComparer.Ordinal))
        {
            providers.Add(Path.GetFileName(directory));
        }
        return providers;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Odd_rate_limit_headers_never_make_a_500_or_a_negative_header(string provider)
    {
        foreach (var headers in OddHeaders)
        {
            foreach (var status in new[] { 200, 204, 429, 503 })
            {
                var answer = new RecordedAnswer(status, headers, status == 204 ? null : "{}", "application/json");
                foreach (var result in await CallBothAsync(provider, answer))
                {
                    await using (result)
                    {
                        Assert.NotEqual(500, result.StatusCode);
                        Assert.DoesNotContain(result.Headers, h => h.Key.StartsWith("ratelimit-", StringComparison.Ordinal) && h.Value.StartsWith('-'));
                        using var body = JsonDocument.Parse(result.Body);
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Bodies_of_the_wrong_shape_never_make_a_500(string provider)
    {
        foreach (var text in OddBodies)
        {
            foreach (var status in new[] { 200, 400, 404 })
            {
                var answer = new RecordedAnswer(status, new Dictionary<string, string>(), text, "application/json");
                foreach (var result in await CallBothAsync(provider, answer))
                {
                    await using (result)
                    {
                        Assert.NotEqual(500, result.StatusCode);
                        using var body = JsonDocument.Parse(result.Body);
                    }
                }
            }
        }
    }

    private static Dictionary<string, string> Headers(string value) => new()
    {
        ["X-RateLimit-Limit"] = value,
        ["X-RateLimit-Remaining"] = value,
        ["X-RateLimit-Reset"] = value,
        ["X-HubSpot-RateLimit-Max"] = value,
        ["X-HubSpot-RateLimit-Remaining"] = value,
        ["Sforce-Limit-Info"] = $"api-usage={value}/{value}",
        ["RateLimit"] = $"limit={value}, remaining={value}, reset={value}",
        ["Retry-After"] = value,
    };

    /// <summary>A delete and a two-id batch-delete of <paramref name="provider"/>, each answered by <paramref name="answer"/> every time.</summary>
    private async Task<UnifiedResult[]> CallBothAsync(string provider, RecordedAnswer answer)
    {
        var context = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(FixturesDirectory, provider, "account.json")))!.AsObject();
        context["base_url"] = _server.Url.ToString().TrimEnd('/');
        var account = new IntegratedAccount("62f44730-dd91-461e-bd6a-aedd9e0ad79d", provider, AccountContext.Parse(context.ToJsonString()));
        var client = _services.GetRequiredService<UnifiedContactsClient>();
        _server.Load(answer, 8);
        var deleted = await client.DeleteAsync(account, "51");
        _server.Load(answer, 8);
        var batch = await client.BatchDeleteAsync(account, ["51", "52"]);
        return [deleted, batch];
    }

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        // One attempt, and a breaker that never opens: every odd answer is to reach the mapping.
        _services = new ServiceCollection().AddTrutoMappings(o =>
        {
            o.MaxAttempts = 1;
            o.BreakerMinimumThroughput = int.MaxValue;
        }).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }
}
