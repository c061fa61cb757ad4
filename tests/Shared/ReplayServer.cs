using System.Collections.Concurrent;
using System.Text.Json;
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

    /// <summary>
    /// The request this answer is for, or null: keyed answers go to the request they name whatever
    /// the arrival order; answers without a key go, in order, to requests no keyed answer matches.
    /// </summary>
    public RequestKey? Request { get; init; }
}

/// <summary>
/// Which request a recorded answer is for: the method, the path with its query as the snapshot's
/// <c>provider_requests[].path</c> shows it (<see cref="ReceivedRequest.PathAndQuery"/>), and
/// optionally the body, compared as JSON (member order and whitespace do not matter).
/// </summary>
internal sealed record RequestKey(string Method, string Path, JsonNode? Body = null)
{
    public bool Matches(ReceivedRequest request)
        => string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase)
            && string.Equals(Path, request.PathAndQuery, StringComparison.Ordinal)
            && (Body is null || JsonNode.DeepEquals(Body, TryParse(request.Body)));

    public override string ToString() => Body is null ? $"{Method} {Path}" : $"{Method} {Path} {Body.ToJsonString()}";

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            // Not JSON: no JSON body key can match it.
            return null;
        }
    }
}

/// <summary>A request the replay server received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The request target exactly as it arrived, percent-encoding untouched (<see cref="PathAndQuery"/> is decoded but for <c>%2F</c>).</summary>
    public string RawTarget { get; init; } = PathAndQuery;
}

/// <summary>
/// Kestrel on loopback that answers each request with a recorded answer, so mapping snapshots run
/// through the real runtime and real HTTP: the first unused answer keyed to the request
/// (<see cref="RecordedAnswer.Request"/>), else the next answer without a key. A request neither
/// answers gets a 599 and is listed in <see cref="Unmatched"/> with the keys the answers have.
/// </summary>
internal sealed class ReplayServer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<RecordedAnswer> _pending = [];
    private readonly List<RecordedAnswer> _loaded = [];
    private readonly List<string> _unmatched = [];
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

    /// <summary>One line per request no loaded answer was for: the request and the keys the answers have.</summary>
    public IReadOnlyList<string> Unmatched
    {
        get
        {
            lock (_lock)
            {
                return [.. _unmatched];
            }
        }
    }

    /// <summary>The loaded answers no request has taken yet.</summary>
    public IReadOnlyList<RecordedAnswer> Unused
    {
        get
        {
            lock (_lock)
            {
                return [.. _pending];
            }
        }
    }

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
        lock (_lock)
        {
            _pending.Clear();
            _loaded.Clear();
            _unmatched.Clear();
            _received.Clear();
            _loaded.AddRange(answers);
            _pending.AddRange(_loaded);
        }
    }

    private RecordedAnswer? Take(ReceivedRequest request)
    {
        lock (_lock)
        {
            var index = _pending.FindIndex(a => a.Request?.Matches(request) == true);
            if (index < 0)
            {
                index = _pending.FindIndex(a => a.Request is null);
            }
            if (index >= 0)
            {
                var answer = _pending[index];
                _pending.RemoveAt(index);
                return answer;
            }
            _unmatched.Add(DescribeUnmatched(request));
            return null;
        }
    }

    private string DescribeUnmatched(ReceivedRequest request)
    {
        var body = request.Body.Length == 0 ? "" : " " + request.Body;
        var keys = _loaded.Where(a => a.Request is not null)
            .Select(a => a.Request + (_pending.Any(p => ReferenceEquals(p, a)) ? "" : " (already answered)"))
            .ToList();
        var unkeyed = _loaded.Count(a => a.Request is null);
        return $"No recorded answer for {request.Method} {request.PathAndQuery}{body}. "
            + (keys.Count == 0 ? "The answers have no request keys" : "The answers are for: " + string.Join("; ", keys))
            + (unkeyed == 0 ? "." : $"; {unkeyed} answer(s) without a key, all used.");
    }

    /// <summary>
    /// A multipart body's boundary is random per call; recorded as <c>{boundary}</c> (in the body and
    /// the Content-Type), so snapshots and the two engines' requests compare equal.
    /// </summary>
    private static string WithStableBoundary(Dictionary<string, string> headers, string body)
    {
        if (!headers.TryGetValue("content-type", out var contentType)
            || !System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
            || type.MediaType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) != true
            || type.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"') is not { Length: > 0 } boundary)
        {
            return body;
        }
        headers["content-type"] = contentType.Replace(boundary, "{boundary}", StringComparison.Ordinal);
        return body.Replace(boundary, "{boundary}", StringComparison.Ordinal);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        body = WithStableBoundary(headers, body);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body)
        {
            RawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "",
        };
        _received.Enqueue(request);
        if (Take(request) is not { } answer)
        {
            context.Response.StatusCode = 599;
            await context.Response.WriteAsync("The fixture has no answer for this request (ReplayServer.Unmatched says why).", context.RequestAborted);
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

    /// <summary>
    /// Reads a fixture's <c>answers</c>: <c>body</c> is JSON, <c>body_text</c> is sent as is;
    /// <c>request</c> (<c>method</c>, <c>path</c>, optional <c>body</c>) keys an answer to its request.
    /// </summary>
    public static IReadOnlyList<RecordedAnswer> ReadAnswers(JsonArray answers)
        => answers.Select(a => a!.AsObject()).Select(a => new RecordedAnswer(
            (int)a["status"]!,
            a["headers"]?.AsObject().ToDictionary(h => h.Key, h => (string)h.Value!) ?? [],
            a["body_text"] is { } text ? (string)text! : a["body"]?.ToJsonString(),
            (string?)a["content_type"] ?? (a["body_text"] is null ? "application/json" : "text/html"))
        {
            Request = a["request"]?.AsObject() is { } key ? ReadKey(key) : null,
        }).ToList();

    private static RequestKey ReadKey(JsonObject key)
        => new(
            (string?)key["method"] ?? throw new InvalidDataException($"An answer's request key has no 'method': {key.ToJsonString()}"),
            (string?)key["path"] ?? throw new InvalidDataException($"An answer's request key has no 'path': {key.ToJsonString()}"),
            key["body"]?.DeepClone());
}
