using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// POSTs a finished job to its <c>callback_url</c>, signed (<see cref="CallbackSignature"/>), through
/// a client whose connections the egress policy checks (no private addresses unless allowed).
/// Tried <see cref="JobOptions.CallbackAttempts"/> times with doubling waits; the outcome is kept
/// on the job (<c>callback.status</c>, <c>attempts</c>, <c>last_error</c>) and failures are logged
/// by job id and host, never with the URL or the secret.
/// </summary>
public sealed partial class JobCallbackSender(IHttpClientFactory clients, IBatchJobStore jobs, IOptions<JobOptions> options, TimeProvider time, ILogger<JobCallbackSender> logger)
{
    /// <summary>The named client callbacks go through.</summary>
    public const string ClientName = "Truto.Mappings.Callbacks";

    /// <summary>Delivers the callback of the finished <paramref name="job"/> (with its answer, <paramref name="items"/>).</summary>
    public async Task DeliverAsync(BatchJob job, IReadOnlyList<BatchJobItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.CallbackUrl is not { } url)
        {
            return;
        }
        var settings = options.Value;
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.IdnHost : "?";
        if (settings.CallbackSigningSecret is not { } secret)
        {
            LogFailed(logger, job.Id, host, "Jobs:CallbackSigningSecret is not configured");
            await jobs.SetCallbackStateAsync(job.Id, BatchJobStatus.CallbackFailed, job.CallbackAttempts, "Jobs:CallbackSigningSecret is not configured", time.GetUtcNow(), CancellationToken.None);
            return;
        }
        // Decided: the body is the finished job without its callback member. While it is being sent
        // the delivery is neither pending (the receiver has it) nor delivered (no 2xx yet), and its
        // attempts would differ between tries; without it every try carries the same bytes, so a
        // receiver can treat a retry (same job id) as the same event. GET shows the callback's state.
        var body = System.Text.Encoding.UTF8.GetBytes(JobJson.Write(BatchJobResource.ToJson(job, items, withCallback: false)));
        var client = clients.CreateClient(ClientName);
        string? lastError = null;
        var attempts = job.CallbackAttempts;
        for (var attempt = 1; attempt <= settings.CallbackAttempts; attempt++)
        {
            attempts++;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.CallbackTimeout);
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.TryAddWithoutValidation(CallbackSignature.Header, CallbackSignature.Create(secret, time.GetUtcNow().ToUnixTimeSeconds(), body));
                using var response = await client.SendAsync(request, timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    await jobs.SetCallbackStateAsync(job.Id, BatchJobStatus.CallbackDelivered, attempts, null, time.GetUtcNow(), CancellationToken.None);
                    return;
                }
                lastError = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The exception's type only: its message may hold the URL (and a token in it).
                lastError = e is OperationCanceledException ? "timed out" : (e.InnerException ?? e).GetType().Name;
            }
            await jobs.SetCallbackStateAsync(job.Id, BatchJobStatus.CallbackPending, attempts, lastError, time.GetUtcNow(), CancellationToken.None);
            LogAttemptFailed(logger, job.Id, host, attempt, lastError);
            if (attempt < settings.CallbackAttempts)
            {
                await Task.Delay(settings.CallbackRetryDelay * Math.Pow(2, attempt - 1), time, cancellationToken);
            }
        }
        // Logged before the job shows it, so whoever reads callback.status "failed" finds the log line already written.
        LogFailed(logger, job.Id, host, lastError ?? "unknown");
        await jobs.SetCallbackStateAsync(job.Id, BatchJobStatus.CallbackFailed, attempts, lastError, time.GetUtcNow(), CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The callback of batch-delete job {JobId} to {Host} failed (attempt {Attempt}: {Error}).")]
    private static partial void LogAttemptFailed(ILogger logger, string jobId, string host, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "The callback of batch-delete job {JobId} to {Host} was given up ({Error}); the job shows callback.status failed.")]
    private static partial void LogFailed(ILogger logger, string jobId, string host, string error);
}
