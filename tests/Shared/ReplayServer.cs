using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Testing;

/// <summary>A recorded provider answer: status, headers and a JSON or text body (or none).</summary>
internal sealed record RecordedAnswer(int Status, IReadOnlyDictionary<string, string> Headers, string? Body, string ContentType, TimeSpan Delay = default)
{
    /// <summary>When set, awaited before anything is answered (after <see cref="Arrived"/>): the provider holds the request open until the test signals.</summary>
    public Task? HoldBeforeAnswer { get; init; }

    /// <summary>When set, the body is sent, flushed, and then this is awaited before <see cref="Rest"/> is sent.</summary>
    public Task? HoldBeforeRest { get; init; }

    /// <summary>The rest of the body, sent after <see cref="HoldBeforeRest"/>.</summary>
    public string? Rest { get; init; }

    /// <summary>Completed when the request this answer is for has arrived (before any of it is sent).</summary>
    public TaskCompletionSource? Arrived { get; init; }
}

/// <summary>A request the replay server received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The request target exactly as it arrived, percent-encoding untouched (<see cref="PathAndQuery"/> is decoded but for <c>%2F</c>).</summary>
    public string RawTarget { get; init; } = PathAndQuery;
}

/// <summary>
/// Kestrel on loopback that answers each request with the next recorded answer, so mapping
/// snapshots run through the real runtime and real HTTP.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedAnswer> _answers = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private LoopbackHost _host = null!;

    public Uri Url => _host.Url;

    /// <summary>
    /// The server's origin (<c>http://127.0.0.1:port</c>): list it in <c>Egress:AllowedBaseUrls</c> so
    /// accounts may point at this loopback provider (the egress policy refuses loopback otherwise).
    /// </summary>
    public string Origin => _host.Origin;

    /// <summary>The server's command-line argument allowing its origin (<see cref="Origin"/>) as entry <paramref name="index"/>.</summary>
    public string AllowArgument(int index = 0) => $"--Egress:AllowedBaseUrls:{index}={Origin}";

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<ReplayServer> StartAsync()
    {
        var server = new ReplayServer();
        server._host = await LoopbackHost.StartAsync(app => app.Run(server.AnswerAsync));
        return server;
    }

    /// <summary>Queues the same answer <paramref name="count"/> times.</summary>
    public void Load(RecordedAnswer answer, int count) => Load(Enumerable.Repeat(answer, count));

    public void Load(IEnumerable<RecordedAnswer> answers)
    {
        _answers.Clear();
        _received.Clear();
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body)
        {
            RawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "",
        });
        if (!_answers.TryDequeue(out var answer))
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync("The fixture has no answer left for this request.", context.RequestAborted);
            return;
        }
        answer.Arrived?.TrySetResult();
        if (answer.HoldBeforeAnswer is { } holdAll)
        {
            await holdAll.WaitAsync(context.RequestAborted);
        }
        if (answer.Delay > TimeSpan.Zero)
        {
            await Task.Delay(answer.Delay, context.RequestAborted);
        }
        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers[name] = value;
        }
        if (answer.Body is not null)
        {
            context.Response.ContentType = answer.ContentType;
            await context.Response.WriteAsync(answer.Body, context.RequestAborted);
        }
        if (answer.HoldBeforeRest is { } hold)
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await hold.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync(answer.Rest ?? "", context.RequestAborted);
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    /// <summary>Reads a fixture's <c>answers</c>: <c>body</c> is JSON, <c>body_text</c> is sent as is.</summary>
    public static IReadOnlyList<RecordedAnswer> ReadAnswers(JsonArray answers)
        => answers.Select(a => a!.AsObject()).Select(a => new RecordedAnswer(
            (int)a["status"]!,
            a["headers"]?.AsObject().ToDictionary(h => h.Key, h => (string)h.Value!) ?? [],
            a["body_text"] is { } text ? (string)text! : a["body"]?.ToJsonString(),
            (string?)a["content_type"] ?? (a["body_text"] is null ? "application/json" : "text/html"))).ToList();
}
