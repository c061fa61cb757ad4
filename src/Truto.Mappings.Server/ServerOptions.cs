namespace Truto.Mappings.Server;

/// <summary>The <c>Server</c> configuration section (besides <c>Server:MaxRequestBodyBytes</c>, read by Kestrel's setup).</summary>
public sealed class ServerOptions
{
    /// <summary><c>Server:IdempotencyWindow</c>: how long a batch-delete answer is replayed for its <c>Idempotency-Key</c> (24 h).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// <c>Server:IdempotencyClaimTimeout</c> (10 min): how long a request's claim on an
    /// <c>Idempotency-Key</c> holds the key without an answer. A claim is normally replaced by the
    /// answer or released when the request ends; only a server stopped mid-request leaves one, and
    /// after this long the key can be used again. It must outlast the longest batch-delete the
    /// runtime lets run (one provider call is at most ProviderTimeout × MaxAttempts + MaxRetryWait,
    /// 100 s by default; a batch is bounded by the runtime's batch deadline): a claim that expired
    /// under a running request would let a duplicate run beside it.
    /// </summary>
    public TimeSpan IdempotencyClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);
}
