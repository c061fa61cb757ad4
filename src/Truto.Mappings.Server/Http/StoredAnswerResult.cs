using System.Text.Json;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Http;

/// <summary>Replays an answer kept for an <c>Idempotency-Key</c>: its status, headers and body, marked as replayed.</summary>
public sealed class StoredAnswerResult(StoredAnswer answer) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public int StatusCode => answer.Status;

    int? IStatusCodeHttpResult.StatusCode => answer.Status;

    public string ContentType => answer.ContentType;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = answer.Status;
        response.Headers[ReplayedHeader] = "true";
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(answer.Headers) ?? [])
        {
            response.Headers[name] = value;
        }
        response.ContentType = answer.ContentType;
        await response.Body.WriteAsync(answer.Body, httpContext.RequestAborted);
    }
}
