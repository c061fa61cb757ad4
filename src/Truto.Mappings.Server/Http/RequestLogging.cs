using System.Diagnostics;
using Truto.Mappings.Server.Endpoints.Filters;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// Echoes (or assigns) <c>X-Request-Id</c> and logs each request with its provider, status and
/// duration. Only the path is logged: never headers, query strings or bodies, which can hold secrets.
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger)
{
    public const string Header = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
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
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            if (logger.IsEnabled(LogLevel.Information))
            {
                var provider = context.Items[AccountFilter.ProviderItem] as string ?? "-";
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogRequest(logger, context.Request.Method, context.Request.Path.Value ?? "/", provider, context.Response.StatusCode, elapsed, requestId);
            }
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Method} {Path} provider={Provider} status={Status} in {ElapsedMs:0} ms request={RequestId}")]
    private static partial void LogRequest(ILogger logger, string method, string path, string provider, int status, double elapsedMs, string requestId);
}
