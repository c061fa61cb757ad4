using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Http;

/// <summary>The Truto error envelope as an endpoint result: every failure the server itself answers.</summary>
public sealed class TrutoErrorResult(TrutoError error) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string JsonContentType = "application/json; charset=utf-8";

    public TrutoError Error { get; } = error ?? throw new ArgumentNullException(nameof(error));

    public int StatusCode => Error.StatusCode;

    int? IStatusCodeHttpResult.StatusCode => Error.StatusCode;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext) => ErrorResponses.WriteAsync(httpContext, Error);
}
