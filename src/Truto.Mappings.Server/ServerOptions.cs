namespace Truto.Mappings.Server;

/// <summary>The <c>Server</c> configuration section (besides <c>Server:MaxRequestBodyBytes</c>, read by Kestrel's setup).</summary>
public sealed class ServerOptions
{
    /// <summary><c>Server:IdempotencyWindow</c>: how long a batch-delete answer is replayed for its <c>Idempotency-Key</c> (24 h).</summary>
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(24);
}
