using Microsoft.AspNetCore.Http.Features;
using Truto.Mappings.Client;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// A runtime <see cref="UnifiedResult"/> as an endpoint result: its status, headers, content type
/// and body go out unchanged. The runtime stays free of ASP.NET Core; this is the one place that
/// knows both. Streamed bodies are sent as they arrive, never buffered.
/// </summary>
public sealed class UnifiedHttpResult : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    private UnifiedHttpResult(UnifiedResult result) => Result = result;

    /// <summary>The runtime's answer (the idempotency filter stores its body).</summary>
    public UnifiedResult Result { get; }

    public int StatusCode => Result.StatusCode;

    int? IStatusCodeHttpResult.StatusCode => Result.StatusCode;

    public string ContentType => Result.ContentType;

    /// <summary>
    /// Wraps <paramref name="result"/> and ties its lifetime to the request, so a provider stream
    /// is closed even when a filter answers instead of this result.
    /// </summary>
    public static UnifiedHttpResult For(HttpContext context, UnifiedResult result)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(result);
        context.Response.RegisterForDisposeAsync(result);
        return new UnifiedHttpResult(result);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Result.StatusCode;
        foreach (var (name, value) in Result.Headers)
        {
            response.Headers[name] = value;
        }
        response.ContentType = Result.ContentType;
        if (Result.IsStreamed)
        {
            // Sent as it arrives: no buffering between the provider and the caller.
            httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(httpContext.RequestAborted);
        }
        await Result.WriteToAsync(response.Body, httpContext.RequestAborted);
    }
}
