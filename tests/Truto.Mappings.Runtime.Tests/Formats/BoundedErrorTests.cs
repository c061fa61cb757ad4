using System.Text;
using System.Text.Json;
using Truto.Mappings.Client;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Formats;

/// <summary>
/// What a provider's errors may add to an answer is bounded, over real HTTP on loopback:
/// <c>raw_response</c> is cut with a marker, a failed batch call's error is written once in
/// <c>chunk_errors</c> and referred to by its ids, and a whole answer stays small however large
/// and many the provider's error bodies are.
/// </summary>
public sealed class BoundedErrorTests : IAsyncLifetime
{
    private static readonly string LongText = new('x', 100_000);

    private ReplayServer _server = null!;

    [Fact]
    public async Task A_long_raw_response_is_cut_to_its_text_prefix_and_marked()
    {
        var body = JsonSerializer.Serialize(new { message = "Contact is locked", detail = LongText });
        _server.Load([new RecordedAnswer(409, new Dictionary<string, string>(), body, "application/json")]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("big"))], o => o.MaxRawResponseBytes = 1024);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("big"), "7");

        using var answer = JsonDocument.Parse(result.Body);
        var raw = answer.RootElement.GetProperty("raw_response").GetString()!;
        Assert.Equal(409, result.StatusCode);
        Assert.Equal("Contact is locked", answer.RootElement.GetProperty("message").GetString());
        Assert.Equal(body[..1024], raw);
        Assert.True(answer.RootElement.GetProperty("truto_raw_response_truncated").GetBoolean());
    }

    [Fact]
    public async Task A_short_raw_response_is_kept_whole_without_a_marker()
    {
        _server.Load([new RecordedAnswer(409, new Dictionary<string, string>(), """{"message":"Contact is locked"}""", "application/json")]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("big"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("big"), "7");

        using var answer = JsonDocument.Parse(result.Body);
        Assert.Equal("Contact is locked", answer.RootElement.GetProperty("raw_response").GetProperty("message").GetString());
        Assert.False(answer.RootElement.TryGetProperty("truto_raw_response_truncated", out _));
    }

    [Fact]
    public async Task A_failed_batch_calls_error_is_written_once_and_its_ids_refer_to_it()
    {
        _server.Load(
        [
            new RecordedAnswer(200, new Dictionary<string, string>(), "{}", "application/json"),
            new RecordedAnswer(500, new Dictionary<string, string>(), """{"message":"boom","trace":"abc"}""", "application/json"),
        ]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackBatch(new LoopbackProvider("chunky"), idsPerCall: 2, concurrency: 1)], o => o.MaxAttempts = 1);

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("chunky"), ["1", "2", "3", "4"]);

        Assert.Equal(200, result.StatusCode);
        using var answer = JsonDocument.Parse(result.Body);
        var root = answer.RootElement;
        Assert.Equal(["1", "2"], root.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["3", "4"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal((500, "boom", 2), (e.GetProperty("statusCode").GetInt32(), e.GetProperty("message").GetString(), e.GetProperty("chunk").GetInt32())));
        Assert.All(errors, e => Assert.False(e.TryGetProperty("raw_response", out _)));
        var chunk = Assert.Single(root.GetProperty("chunk_errors").EnumerateArray().ToList());
        Assert.Equal((2, 500, "abc"), (chunk.GetProperty("chunk").GetInt32(), chunk.GetProperty("statusCode").GetInt32(), chunk.GetProperty("raw_response").GetProperty("trace").GetString()));
        Assert.Equal(1, CountOf(Encoding.UTF8.GetString(result.Body.Span), "\"trace\""));
    }

    [Fact]
    public async Task A_thousand_ids_whose_calls_fail_with_100_KB_errors_make_a_bounded_answer()
    {
        var huge = JsonSerializer.Serialize(new { message = LongText, detail = LongText });
        _server.Load(new RecordedAnswer(500, new Dictionary<string, string>(), huge, "application/json"), 10);
        var client = LoopbackRuntime.Client(_server, [new LoopbackBatch(new LoopbackProvider("chunky"), idsPerCall: 100, concurrency: 2)], o => o.MaxAttempts = 1);
        var ids = Enumerable.Range(1, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("chunky"), ids);

        Assert.Equal(500, result.StatusCode);
        using var answer = JsonDocument.Parse(result.Body);
        Assert.Equal(ids, answer.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(10, answer.RootElement.GetProperty("chunk_errors").GetArrayLength());
        // Unbounded, this answer was 1,000 × 200 KB = 200 MB.
        Assert.InRange(result.Body.Length, 1, 2 * 1024 * 1024);
    }

    [Fact]
    public async Task Many_fanned_out_calls_with_large_errors_share_one_raw_response_budget()
    {
        var huge = JsonSerializer.Serialize(new { message = "gone wrong", detail = LongText });
        _server.Load(new RecordedAnswer(500, new Dictionary<string, string>(), huge, "application/json"), 100);
        var client = LoopbackRuntime.Client(_server, [new LoopbackFanOut(new LoopbackDelete(new LoopbackProvider("fanned")), concurrency: 4)], o =>
        {
            o.MaxAttempts = 1;
            // Every call is to reach the provider: the circuit breaker would stop after a few failures.
            o.BreakerMinimumThroughput = 1000;
        });
        var ids = Enumerable.Range(1, 100).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("fanned"), ids);

        using var answer = JsonDocument.Parse(result.Body);
        var errors = answer.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(ids, errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.True(e.GetProperty("truto_raw_response_truncated").GetBoolean()));
        // 100 × 64 KiB would be 6.4 MB; the answer's budget is 1 MiB.
        Assert.InRange(result.Body.Length, 1, 1024 * 1024 + 100 * 1024);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
