using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>
/// <c>Idempotency-Key</c>: the first answer to a key is kept for <see cref="ServerOptions.IdempotencyWindow"/>
/// and replayed (with <c>Idempotent-Replayed: true</c>) for the same request; the same key with a
/// different request is a 409. Only the runtime's answers are kept, never those worth retrying
/// (401: credentials fixed since; 408, 429 and 5xx: a later try may succeed) nor streams (gone
/// once sent); a body the handler will reject is passed through and not kept.
/// Runs after <see cref="AccountFilter"/>: the account is part of what makes two requests the same.
/// </summary>
public sealed partial class IdempotencyFilter(ITrutoStore store, TimeProvider time, IOptions<ServerOptions> options, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    public const string Header = "Idempotency-Key";

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
        var window = options.Value.IdempotencyWindow;
        var requestHash = Hash(ResolvedAccount.From(http).Account.Id, http.Request.QueryString.Value ?? "", body.ToJsonString());
        if (await store.FindAnswerAsync(key, time.GetUtcNow() - window, http.RequestAborted) is { } stored)
        {
            return stored.RequestHash == requestHash
                ? new StoredAnswerResult(stored)
                : ErrorResponses.Result(new TrutoError(409, "This Idempotency-Key was used with a different request; use a new key for a new request."));
        }

        var answer = await next(context);
        // A handler's Results<…> union holds the result it chose.
        if ((answer is INestedHttpResult nested ? nested.Result : answer) is UnifiedHttpResult { Result: { IsStreamed: false, StatusCode: < 500 and not (401 or 408 or 429) } result })
        {
            var headers = JsonSerializer.Serialize(result.Headers.ToDictionary(h => h.Key, h => h.Value));
            var now = time.GetUtcNow();
            try
            {
                await store.SaveAnswerAsync(new StoredAnswer(key, requestHash, result.StatusCode, result.ContentType, headers, result.Body.ToArray(), now), now - window, http.RequestAborted);
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

    [LoggerMessage(Level = LogLevel.Error, Message = "The answer for an Idempotency-Key could not be stored ({Error}); it was sent, but a retry with the key will not be replayed (request {RequestId}).")]
    private static partial void LogNotStored(ILogger logger, string error, string requestId);

    private static string Hash(params string[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
