using System.Text;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// <c>202 Accepted</c> for a batch-delete run as a job: <c>Location</c> of the job,
/// <c>Preference-Applied: respond-async</c>, and the job resource. Kept for an
/// <c>Idempotency-Key</c> like a synchronous answer, so the same key gives the same job: a replay
/// is this 202 byte for byte (the job as created; see <c>IdempotencyFilter</c> for why).
/// </summary>
public sealed class JobAcceptedResult(string location, string body) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int StatusCode => StatusCodes.Status202Accepted;

    int? IStatusCodeHttpResult.StatusCode => StatusCodes.Status202Accepted;

    public string ContentType => TrutoErrorResult.JsonContentType;

    /// <summary>The headers sent besides the content type.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } =
    [
        new("Location", location),
        new(RespondAsync.AppliedHeader, RespondAsync.Preference),
    ];

    /// <summary>The job resource as created.</summary>
    public ReadOnlyMemory<byte> Body { get; } = Encoding.UTF8.GetBytes(body);

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentType = ContentType;
        await response.Body.WriteAsync(Body, httpContext.RequestAborted);
    }
}
