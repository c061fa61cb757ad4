using Truto.Mappings.Client;

namespace Truto.Mappings.Server.Http;

/// <summary>
/// Logs a long batch-delete's progress (each tenth of its provider calls), so an operator watching a
/// 10,000-id batch sees it move. Batches of one or two calls log nothing extra.
/// </summary>
public sealed partial class BatchProgressLog(ILogger logger, string provider, string requestId) : IProgress<BatchProgress>
{
    private readonly Lock _gate = new();
    private int _lastTenth;

    public void Report(BatchProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.TotalCalls < 3)
        {
            return;
        }
        var tenth = value.CompletedCalls * 10 / value.TotalCalls;
        lock (_gate)
        {
            if (tenth <= _lastTenth)
            {
                return;
            }
            _lastTenth = tenth;
        }
        LogProgress(logger, provider, value.CompletedCalls, value.TotalCalls, value.Deleted, value.Failed, requestId);
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "batch-delete {Provider}: {Completed}/{Total} provider calls, {Deleted} deleted, {Failed} failed, request={RequestId}")]
    private static partial void LogProgress(ILogger logger, string provider, int completed, int total, int deleted, int failed, string requestId);
}
