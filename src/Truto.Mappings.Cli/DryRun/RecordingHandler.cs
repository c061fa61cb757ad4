using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;

namespace Truto.Mappings.Cli.DryRun;

/// <summary>A request as it left the runtime: method, URL, every header and the body bytes.</summary>
internal sealed record SentRequest(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body);

/// <summary>The answer a dry run gives every provider call: status, content type and body (none when null).</summary>
internal sealed record CannedAnswer(HttpStatusCode Status, string ContentType, byte[]? Body)
{
    /// <summary>What explain answers: 204 and no body, so nothing after the request matters.</summary>
    public static CannedAnswer NoContent { get; } = new(HttpStatusCode.NoContent, "application/json", null);
}

/// <summary>
/// The runtime's HTTP client's last handler in a dry run: it records each request exactly as the
/// transport built it and answers with <see cref="CannedAnswer"/> instead of sending anything.
/// </summary>
internal sealed class RecordingHandler(CannedAnswer answer) : HttpMessageHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public IReadOnlyList<SentRequest> Sent => [.. _sent];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers = request.Content is null ? request.Headers : request.Headers.Concat(request.Content.Headers);
        _sent.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!, [.. headers.SelectMany(h => h.Value.Select(v => KeyValuePair.Create(h.Key, v)))], body));
        var response = new HttpResponseMessage(answer.Status) { RequestMessage = request };
        if (answer.Body is { } bytes)
        {
            response.Content = new ByteArrayContent(bytes);
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(answer.ContentType);
        }
        return response;
    }
}
