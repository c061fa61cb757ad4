namespace Truto.Mappings.Server.Jobs;

/// <summary>The <c>Jobs</c> configuration section: durable batch-delete jobs (<c>Prefer: respond-async</c>).</summary>
public sealed class JobOptions
{
    /// <summary>
    /// <c>Jobs:LeaseDuration</c> (30 s): how long a worker holds a job without renewing it. Its
    /// heartbeat renews it every third of this; a job whose worker died is taken over this long
    /// after its last heartbeat. Shorter: faster take-over; longer: more room for a slow database.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary><c>Jobs:PollInterval</c> (2 s): how often an idle worker looks for a job (a job created on the same instance wakes it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <c>Jobs:SliceSize</c> (100): how many ids a worker hands the runtime at once; their
    /// outcomes are written when the slice is answered. Ids of a slice in flight when an instance
    /// dies are sent again by the next worker, so this bounds what a crash can send twice.
    /// </summary>
    public int SliceSize { get; set; } = 100;

    /// <summary><c>Jobs:Workers</c> (2): jobs one instance runs at once (0: this instance runs none, it only accepts them).</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// <c>Jobs:CallbackSigningSecret</c>: the key of the HMAC-SHA256 <c>Truto-Signature</c> on
    /// callbacks (at least 32 characters). Unset: a job with a <c>callback_url</c> is refused (400).
    /// </summary>
    public string? CallbackSigningSecret { get; set; }

    /// <summary><c>Jobs:CallbackAttempts</c> (4): how many times a callback is tried before it is marked failed.</summary>
    public int CallbackAttempts { get; set; } = 4;

    /// <summary><c>Jobs:CallbackRetryDelay</c> (2 s): the wait after the first failed attempt, doubled after each further one.</summary>
    public TimeSpan CallbackRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary><c>Jobs:CallbackTimeout</c> (10 s): how long one callback attempt may take.</summary>
    public TimeSpan CallbackTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>Jobs:MaxAttempts</c> (5): how many failed runs of one job — a run that threw (our code or
    /// the store; a provider's error is an answer, not a failure) or a lease taken over after its
    /// worker died — before the job is given up: its unanswered ids fail with a 500 saying so, and it finishes.
    /// </summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>
    /// <c>Jobs:Retention</c> (7 days): how long a finished job (and its ids) stays readable; older
    /// ones are deleted by the workers' sweep (<see cref="JobRetentionSweep"/>), then GET answers
    /// 404. At least <c>Server:IdempotencyWindow</c>, so a replayed 202 never points at a deleted job.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The shortest signing secret accepted.</summary>
    public const int MinimumSecretLength = 32;

    /// <summary>Throws a <see cref="StartupException"/> naming the first setting out of range.</summary>
    public void Check(TrutoMappingsOptions runtime, ServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(server);
        Require(LeaseDuration >= TimeSpan.FromSeconds(1) && LeaseDuration <= TimeSpan.FromHours(1), $"Jobs:LeaseDuration must be between 1 second and 1 hour (it is {LeaseDuration}).");
        Require(PollInterval >= TimeSpan.FromMilliseconds(10) && PollInterval <= TimeSpan.FromMinutes(10), $"Jobs:PollInterval must be between 10 ms and 10 minutes (it is {PollInterval}).");
        Require(SliceSize >= 1 && SliceSize <= runtime.MaxBatchIds, $"Jobs:SliceSize must be between 1 and Runtime:MaxBatchIds ({runtime.MaxBatchIds}); it is {SliceSize}.");
        Require(Workers is >= 0 and <= 64, $"Jobs:Workers must be between 0 and 64 (it is {Workers}).");
        Require(MaxAttempts is >= 1 and <= 100, $"Jobs:MaxAttempts must be between 1 and 100 (it is {MaxAttempts}).");
        Require(CallbackAttempts is >= 1 and <= 20, $"Jobs:CallbackAttempts must be between 1 and 20 (it is {CallbackAttempts}).");
        Require(CallbackRetryDelay >= TimeSpan.Zero && CallbackRetryDelay <= TimeSpan.FromMinutes(10), $"Jobs:CallbackRetryDelay must be between 0 and 10 minutes (it is {CallbackRetryDelay}).");
        Require(CallbackTimeout > TimeSpan.Zero && CallbackTimeout <= TimeSpan.FromMinutes(5), $"Jobs:CallbackTimeout must be more than 0 and at most 5 minutes (it is {CallbackTimeout}).");
        Require(Retention >= server.IdempotencyWindow && Retention <= TimeSpan.FromDays(3650),
            $"Jobs:Retention must be between Server:IdempotencyWindow ({server.IdempotencyWindow}) and 3650 days (it is {Retention}): a replayed Idempotency-Key answer points at its job.");
        // The secret itself is never repeated: only its length is wrong.
        Require(CallbackSigningSecret is null || CallbackSigningSecret.Length >= MinimumSecretLength,
            $"Jobs:CallbackSigningSecret must be at least {MinimumSecretLength} characters long (or unset, which refuses callback_url).");
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new StartupException(message);
        }
    }
}
