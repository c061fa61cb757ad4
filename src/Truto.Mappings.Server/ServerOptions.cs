namespace Truto.Mappings.Server;

/// <summary>The <c>Server</c> configuration section (besides <c>Server:MaxRequestBodyBytes</c>, read by Kestrel's setup).</summary>
public sealed class ServerOptions
{
    /// <summary><c>Server:IdempotencyWindow</c>: how long a batch-delete answer is replayed for its <c>Idempotency-Key</c> (24 h).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// <c>Server:IdempotencyClaimTimeout</c> (15 min): how long a request's claim on an
    /// <c>Idempotency-Key</c> holds the key without an answer. A claim is normally replaced by the
    /// answer or released when the request ends; only a server stopped mid-request leaves one, and
    /// after this long the key can be used again. It must outlast the longest batch-delete the
    /// runtime lets run (one provider call is at most ProviderTimeout × MaxAttempts + MaxRetryWait,
    /// 100 s by default; a batch is bounded by <c>Runtime:BatchDeadline</c>, 10 min): a claim that
    /// expired under a running request would let a duplicate run beside it, so the start refuses a
    /// claim timeout that is not longer than the batch deadline (<see cref="CheckAgainst"/>).
    /// </summary>
    public TimeSpan IdempotencyClaimTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// <c>Server:PublicUrl</c>: the server's address as browsers and providers reach it
    /// (<c>https://api.example.com</c>); the OAuth redirect URI given to providers is
    /// <c>{PublicUrl}/connect/callback</c>. Null: the request's own scheme and host.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Throws a <see cref="StartupException"/> when a claim could expire while its batch still runs.</summary>
    public void CheckAgainst(TrutoMappingsOptions runtime)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        if (IdempotencyClaimTimeout <= runtime.BatchDeadline)
        {
            throw new StartupException(
                $"Server:IdempotencyClaimTimeout ({IdempotencyClaimTimeout}) must be longer than Runtime:BatchDeadline ({runtime.BatchDeadline}): " +
                "a claim on an Idempotency-Key that expired while its batch-delete still ran would let a second request with the same key delete the same ids beside it.");
        }
    }
}
