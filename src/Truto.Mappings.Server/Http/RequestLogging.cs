using System.Diagnostics;
using Truto.Mappings.Server.Endpoints.Filters;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// Echoes (or assigns) <c>X-Request-Id</c> and logs each request with its provider, status and
/// duration (until the answer was sent). Only the path is logged: never headers, query strings or bodies, which can hold secrets.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var incoming = context.Request.Headers[Header].ToString();
        var requestId = incoming.Length is > 0 and <= 200 ? incoming : Guid.NewGuid().ToString("N");
        context.TraceIdentifier = requestId;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = requestId;
            return Task.CompletedTask;
        });
        if (logger.IsEnabled(LogLevel.Information))
        {
            // Logged once the answer has been sent (OnCompleted), so formatting and queueing the line
            // are not part of what the caller waits for: at the default level the console logger
            // cost about as much as the rest of the request path together (gateway benchmark).
            context.Response.OnCompleted(static state => ((RequestLine)state).WriteAsync(), new RequestLine(logger, context, requestId, Stopwatch.GetTimestamp()));
        }
        return next(context);
    }

    /// <summary>What the line needs once the response is complete.</summary>
    private sealed class RequestLine(ILogger logger, HttpContext context, string requestId, long started)
    {
        public Task WriteAsync()
        {
            var provider = context.Items[AccountFilter.ProviderItem] as string ?? "-";
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", provider, context.Response.StatusCode, elapsed, requestId);
            return Task.CompletedTask;
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Method} {Path} provider={Provider} status={Status} in {ElapsedMs:0} ms request={RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, string provider, int status, double elapsedMs, string requestId);
}
