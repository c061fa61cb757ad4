namespace Truto.Mappings;

/// <summary>Settings of the runtime: provider hosts, timeouts, deadlines, retries, the circuit breaker and size limits.</summary>
public sealed class TrutoMappingsOptions
{
    /// <summary>
    /// Base-URL overrides by integration name (configuration <c>Providers:{name}:BaseUrl</c>): every
    /// account of that provider is sent there. An account's own <c>base_url</c> wins over this.
    /// These are the operator's and trusted as they are: http and any host, loopback included.
    /// </summary>
    public IDictionary<string, string> ProviderBaseUrls { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// OAuth apps by integration name (configuration <c>Providers:{name}:ClientId</c>, <c>:ClientSecret</c>,
    /// <c>:TokenUrl</c>, <c>:AuthorizeUrl</c>). A configured <c>TokenUrl</c> is trusted like a configured <c>BaseUrl</c>.
    /// </summary>
    public IDictionary<string, OAuth.OAuthClientOptions> OAuthClients { get; } = new Dictionary<string, OAuth.OAuthClientOptions>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// An access token expiring within this much time is refreshed before a call (configuration
    /// <c>OAuth:RefreshSkew</c>, default 60 s), so it cannot expire on the way to the provider.
    /// </summary>
    public TimeSpan OAuthRefreshSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// True: provider calls, token requests and job callbacks carry the current trace context
    /// (<c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>) as .NET's HttpClient sends it by default.
    /// False (the default, configuration <c>Telemetry:PropagateTraceContext</c>): they carry none, so
    /// third parties learn nothing of this service's traces (ids, sampling, baggage).
    /// </summary>
    public bool PropagateTraceContext { get; set; }

    /// <summary>Where provider calls may go besides the hosts the YAML declares (configuration <c>Egress:</c>).</summary>
    public Egress.EgressOptions Egress { get; } = new();

    /// <summary>
    /// How long one attempt of a provider call may take before it is a 504: until its answer is
    /// read whole, or for <c>stream</c> until the first bytes of the body arrive and then between
    /// any two reads. Waiting for the provider's rate limit is not part of it.
    /// </summary>
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

    /// <summary>
    /// The total time one single-id call (a delete) may take: every attempt, the waits between
    /// them and the wait for the provider's rate limit (default 60 s). Past it the call is a 504
    /// naming this setting.
    /// </summary>
    public TimeSpan CallDeadline { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The total time one batch may take, all its provider calls included (default 10 min). Past
    /// it, the ids not yet answered are each a 504 in <c>errors</c> naming this setting; the
    /// others keep their outcomes.
    /// </summary>
    public TimeSpan BatchDeadline { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The circuit breaker (per provider and account) opens when at least this share of the calls
    /// in <see cref="BreakerSamplingDuration"/> failed (5xx, timeouts, connection failures; not 4xx). Default 0.5.
    /// </summary>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The fewest calls in <see cref="BreakerSamplingDuration"/> before the breaker judges the ratio (default 10, at least 2).</summary>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window over which the breaker counts failures (default 30 s).</summary>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long an open breaker answers 503 with <c>Retry-After</c> without calling the provider
    /// (default 30 s); then one call probes, and its outcome closes or reopens the breaker.
    /// </summary>
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The most of one provider body kept as <c>raw_response</c> in an error (default 64 KiB); a
    /// longer one is cut to its text prefix and marked <c>"truto_raw_response_truncated": true</c>.
    /// </summary>
    public int MaxRawResponseBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// The most <c>raw_response</c> text one answer carries in all (default 1 MiB), so a batch of
    /// many failed calls stays bounded; past it further ones are cut (to nothing) and marked alike.
    /// </summary>
    public int MaxRawResponseBytesPerAnswer { get; set; } = 1024 * 1024;
}
