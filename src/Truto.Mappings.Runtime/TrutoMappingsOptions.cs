namespace Truto.Mappings;

/// <summary>Settings of the runtime: provider hosts, timeouts, retries and batch limits.</summary>
public sealed class TrutoMappingsOptions
{
    /// <summary>
    /// Base-URL overrides by integration name (configuration <c>Providers:{name}:BaseUrl</c>): every
    /// account of that provider is sent there. An account's own <c>base_url</c> wins over this.
    /// These are the operator's and trusted as they are: http and any host, loopback included.
    /// </summary>
    public IDictionary<string, string> ProviderBaseUrls { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where provider calls may go besides the hosts the YAML declares (configuration <c>Egress:</c>).</summary>
    public Egress.EgressOptions Egress { get; } = new();

    /// <summary>How long one provider call may take before it is a 504.</summary>
    public TimeSpan ProviderTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per provider call, the first included.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The most a call may wait between attempts in total (Retry-After included).</summary>
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The first back-off delay for transport failures and 502/504 (doubled each time, with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The most ids one batch-delete call may carry.</summary>
    public int MaxBatchIds { get; set; } = 10_000;

    /// <summary>
    /// The largest provider answer read into memory (default 8 MiB); a larger one is a 502 naming
    /// this limit. The <c>stream</c> format passes answers through unread, whatever their size.
    /// </summary>
    public long MaxResponseBytes { get; set; } = 8 * 1024 * 1024;
}
