using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>
/// <c>Idempotency-Key</c>: before any provider call the key is claimed atomically (a pending row),
/// so of two concurrent requests with one key exactly one runs and the other is a 409 with
/// <c>Retry-After</c>. The first answer replaces the claim and is replayed (with
/// <c>Idempotent-Replayed: true</c>) for <see cref="ServerOptions.IdempotencyWindow"/> to the same
/// request; the same key with a different request is a 409. Answers worth retrying (401:
/// credentials fixed since; 408, 429 and 5xx: a later try may succeed), streams (gone once sent),
/// bodies the handler rejects and requests that fail release the claim instead, so they can be
/// retried. A claim left by a server that stopped expires after <see cref="ServerOptions.IdempotencyClaimTimeout"/>.
/// Keys belong to the caller's environment and tenant: the same key from another tenant is
/// another key, never a replay of its answer.
/// Runs after <see cref="AccountFilter"/>: the account is part of what makes two requests the same.
/// </summary>
public sealed partial class IdempotencyFilter(ITrutoStore store, TimeProvider time, IOptions<ServerOptions> options, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

    /// <summary>Seconds a request that finds its key claimed by a running one is told to wait (<c>Retry-After</c>).</summary>
    public const int InProgressRetryAfterSeconds = 2;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }
        var (body, _) = await RequestBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return await next(context);
        }
        var settings = options.Value;
        var requestHash = RespondAsync.IsRequested(http.Request)
            // A job and a synchronous answer are different requests: the same key and body asked both ways is a 409.
            ? Hash(ResolvedAccount.From(http).Account.Id, http.Request.QueryString.Value ?? "", body.ToJsonString(), RespondAsync.Preference)
            : Hash(ResolvedAccount.From(http).Account.Id, http.Request.QueryString.Value ?? "", body.ToJsonString());
        var now = time.GetUtcNow();
        var claim = new IdempotencyClaim(ScopedKey(ApiCaller.From(http), key), requestHash, now);
        StoredAnswer? holder;
        try
        {
            holder = await store.ClaimAnswerAsync(claim, now - settings.IdempotencyWindow, now - settings.IdempotencyClaimTimeout, http.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Nothing has been sent to the provider: refusing is safe, running unguarded is not.
            LogNotClaimed(logger, e.GetType().Name, http.TraceIdentifier);
            http.Response.Headers.RetryAfter = InProgressRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ErrorResponses.Result(new TrutoError(503, "The Idempotency-Key could not be recorded, so the request was not run; retry it."));
        }
        if (holder is not null)
        {
            return Held(http, holder, requestHash);
        }

        var kept = false;
        try
        {
            var answer = await next(context);
            // A handler's Results<…> union holds the result it chose. A job's 202 is kept like an
            // answer: the same key then gives the same job (its Location), never a second one.
            // Decided: the replay is the 202 as first sent (the job as created, byte for byte), not
            // the job as it is now. An Idempotency-Key promises the first answer again, and this
            // filter replays every kept answer the same way without running the handler; the job's
            // current state is one GET of Location away. Rebuilding it here would make a replay
            // differ from the answer it repeats (another status once the job has finished) and
            // read the job tables on a path that today reads only the kept answer.
            var keep = (answer is INestedHttpResult nested ? nested.Result : answer) switch
            {
                UnifiedHttpResult { Result: { IsStreamed: false, StatusCode: < 500 and not (401 or 408 or 429) } unified } => (unified.StatusCode, unified.ContentType, unified.Headers, unified.Body),
                JobAcceptedResult accepted => (accepted.StatusCode, accepted.ContentType, accepted.Headers, accepted.Body),
                _ => ((int StatusCode, string ContentType, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body)?)null,
            };
            if (keep is { } result)
            {
                var headers = JsonSerializer.Serialize(result.Headers.ToDictionary(h => h.Key, h => h.Value));
                var finished = time.GetUtcNow();
                try
                {
                    await store.SaveAnswerAsync(claim, new StoredAnswer(claim.Key, requestHash, result.StatusCode, result.ContentType, headers, result.Body.ToArray(), finished),
                        finished - settings.IdempotencyWindow, CancellationToken.None);
                    kept = true;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The provider has acted: its answer matters more than the replay. A retry with
                    // this key will reach the provider again, which is why the failure is logged.
                    LogNotStored(logger, e.GetType().Name, http.TraceIdentifier);
                }
            }
            return answer;
        }
        finally
        {
            if (!kept)
            {
                await ReleaseAsync(claim, http.TraceIdentifier);
            }
        }
    }

    /// <summary>The answer when the key is held: the replay, or a 409 (another request, or this one still running).</summary>
    private static IResult Held(HttpContext http, StoredAnswer holder, string requestHash)
    {
        if (holder.RequestHash != requestHash)
        {
            return ErrorResponses.Result(new TrutoError(409, "This Idempotency-Key was used with a different request; use a new key for a new request."));
        }
        if (holder.IsPending)
        {
            http.Response.Headers.RetryAfter = InProgressRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ErrorResponses.Result(new TrutoError(409, "A request with this Idempotency-Key is still running; retry after it has finished to get its answer."));
        }
        return new StoredAnswerResult(holder);
    }

    private async Task ReleaseAsync(IdempotencyClaim claim, string requestId)
    {
        try
        {
            // Not the request's token: an aborted request must still free its key.
            await store.ReleaseClaimAsync(claim, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogNotReleased(logger, e.GetType().Name, requestId);
        }
    }

    /// <summary>The key as stored: the caller's environment and tenant are part of it, and it is hashed (a key may be anything a client chose).</summary>
    public static string ScopedKey(ApiCaller caller, string key)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return Hash(JsonSerializer.Serialize(new[] { caller.Environment, caller.TenantId, key }));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The answer for an Idempotency-Key could not be stored ({Error}); it was sent, but a retry with the key will not be replayed (request {RequestId}).")]
    private static partial void LogNotStored(ILogger logger, string error, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "An Idempotency-Key could not be claimed ({Error}); the request was refused with 503 before any provider call (request {RequestId}).")]
    private static partial void LogNotClaimed(ILogger logger, string error, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The claim on an Idempotency-Key could not be released ({Error}); the key stays blocked until Server:IdempotencyClaimTimeout passes (request {RequestId}).")]
    private static partial void LogNotReleased(ILogger logger, string error, string requestId);

    private static string Hash(params string[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
