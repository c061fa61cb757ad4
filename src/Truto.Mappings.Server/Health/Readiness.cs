using Microsoft.AspNetCore.DataProtection;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Health;

/// <summary>
/// <c>GET /readyz</c>: whether this instance can serve calls now — the store answers a cheap read
/// of its schema, and the Data Protection key ring protects and unprotects a probe value (the round
/// trip every account read makes). 200 <c>{"status":"ready"}</c>, or 503 naming the checks that
/// failed (<c>store</c>, <c>key_ring</c>); the reason is logged as its exception type, never a message
/// that could carry a connection string. <c>/healthz</c> stays "the process is up".
/// </summary>
public sealed partial class Readiness(ITrutoStore store, IDataProtectionProvider protection, ILogger<Readiness> logger)
{
    /// <summary>How long the store may take to answer before the instance counts as not ready (probes have short timeouts).</summary>
    public static readonly TimeSpan StoreTimeout = TimeSpan.FromSeconds(5);

    private const string Probe = "ready";

    private readonly IDataProtector _protector = protection.CreateProtector("Truto.Mappings.Readiness.v1");

    /// <summary>Runs both checks and answers as the summary says.</summary>
    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        List<string> failed = [];
        if (await StoreFailureAsync(cancellationToken) is { } storeError)
        {
            LogFailed(logger, "store", storeError);
            failed.Add("store");
        }
        if (KeyRingFailure() is { } keyRingError)
        {
            LogFailed(logger, "key_ring", keyRingError);
            failed.Add("key_ring");
        }
        return failed.Count == 0
            ? Results.Json(new ReadyAnswer("ready", null))
            : Results.Json(new ReadyAnswer("not_ready", failed), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private async Task<string?> StoreFailureAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(StoreTimeout);
        try
        {
            await store.PingAsync(limit.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer within {StoreTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return e.GetType().Name;
        }
    }

    private string? KeyRingFailure()
    {
        try
        {
            return _protector.Unprotect(_protector.Protect(Probe)) == Probe ? null : "round trip changed the value";
        }
#pragma warning disable CA1031 // Any failure of the key ring is the answer here, not an error of the probe.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e.GetType().Name;
        }
    }

    /// <summary>The answer's body: <c>failed</c> only when not ready.</summary>
    private sealed record ReadyAnswer(
        [property: System.Text.Json.Serialization.JsonPropertyName("status")] string Status,
        [property: System.Text.Json.Serialization.JsonPropertyName("failed"), System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Failed);

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Not ready: the {Check} check failed ({Reason}).")]
    private static partial void LogFailed(ILogger logger, string check, string reason);
}
