using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Keeps provider calls within the rate windows each provider's YAML declares, per account (a
/// provider counts calls per account or token) or per integration (<see cref="RateLimitScope.App"/>),
/// so a 10,000-id batch paces itself instead of tripping the provider's limits. Counts in this
/// process only: the default <see cref="IProviderRateLimiter"/> for one instance.
/// </summary>
/// <remarks>
/// <para>Each window is a GCRA (generic cell rate algorithm, a token bucket kept as one time): its
/// state is the theoretical arrival time (TAT) of the next call; calls are spaced by period / requests,
/// up to burst at once after idleness. A call is booked at the first moment every window of it allows,
/// and every window's TAT moves on from that moment, in one step under one lock, so no window spends
/// a call another window refuses. The caller then waits until its moment, cancellably (a cancelled wait
/// wastes its slot, as with the PostgreSQL limiter, which runs the same algorithm in one statement).</para>
/// <para>Why not <c>System.Threading.RateLimiting</c>'s token buckets, chained: a chained acquire
/// spends the first window's token while it queues for the second and cannot tell ahead how long a
/// queued wait will be, so neither "every window at once" nor "refuse what cannot be waited out" holds.</para>
/// <para>A call that would go later than the caller may wait is refused at once
/// (<see cref="RateLimitWindowExhaustedException"/>); so is one booked further ahead than
/// <c>queueLimit</c> spacings of the window that holds it back (<see cref="RateLimitQueueFullException"/>).
/// Windows whose TAT has passed mean what no state means; they are dropped at most once per
/// <see cref="CleanupInterval"/>, so accounts that called once do not stay in memory.</para>
/// </remarks>
public sealed class ProviderRateLimiters : IProviderRateLimiter
{
    /// <summary>Calls that may wait per window: room for the largest batch a request may carry.</summary>
    public const int DefaultQueueLimit = 10_000;

    /// <summary>How often passed windows are dropped.</summary>
    public static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(1);

    // The bucket of a window: the account it counts ("" for the integration's app-wide windows), its
    // requests and period. Keyed by provider first, so each provider books under its own lock.
    private readonly Dictionary<string, ProviderBuckets> _providers = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly int _queueLimit;
    private readonly long _origin;

    /// <summary>Limiters on the system clock with the default queue bound.</summary>
    public ProviderRateLimiters()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Limiters on <paramref name="time"/>; <paramref name="queueLimit"/> calls may wait per window.</summary>
    public ProviderRateLimiters(TimeProvider time, int queueLimit = DefaultQueueLimit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(queueLimit, 0);
        _time = time;
        _queueLimit = queueLimit;
        _origin = time.GetTimestamp();
    }

    /// <inheritdoc />
    /// <remarks>No windows (the provider declares none) never waits.</remarks>
    public async ValueTask WaitAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        if (windows.Count == 0)
        {
            return;
        }
        var delay = Book(provider, account, windows, maxWait);
        if (delay > TimeSpan.Zero)
        {
            // Cancelling here wastes the booked slot (see the remarks).
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Windows with state, over all providers (a test reads it to see passed windows dropped).</summary>
    internal int TrackedWindows
    {
        get
        {
            lock (_providers)
            {
                return _providers.Values.Sum(p =>
                {
                    lock (p)
                    {
                        return p.Tats.Count;
                    }
                });
            }
        }
    }

    /// <summary>Books one call across <paramref name="windows"/> and returns how long it waits from now (tests read it directly).</summary>
    /// <exception cref="RateLimitWindowExhaustedException">It could go only after <paramref name="maxWait"/>; nothing is booked.</exception>
    /// <exception cref="RateLimitQueueFullException">It would be booked too far ahead; nothing is booked.</exception>
    internal TimeSpan Book(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait)
    {
        ProviderBuckets buckets;
        lock (_providers)
        {
            if (!_providers.TryGetValue(provider, out buckets!))
            {
                buckets = new ProviderBuckets();
                _providers.Add(provider, buckets);
            }
        }
        lock (buckets)
        {
            var now = _time.GetElapsedTime(_origin).Ticks;
            var keys = new BucketKey[windows.Count];
            var granted = now;
            RequestRate? holding = null;
            for (var i = 0; i < windows.Count; i++)
            {
                var window = windows[i];
                keys[i] = new BucketKey(window.Scope == RateLimitScope.App ? "" : account, window.Requests, window.Period.Ticks);
                var tat = buckets.Tats.TryGetValue(keys[i], out var t) ? Math.Max(t, now) : now;
                var allowedAt = tat - Tolerance(window);
                if (allowedAt > granted)
                {
                    granted = allowedAt;
                    holding = window;
                }
            }
            var delay = TimeSpan.FromTicks(granted - now);
            if (holding is not null && maxWait != Timeout.InfiniteTimeSpan && delay > maxWait)
            {
                throw new RateLimitWindowExhaustedException(provider, holding, delay);
            }
            if (holding is not null && delay.Ticks > Spacing(holding) * _queueLimit)
            {
                throw new RateLimitQueueFullException(provider);
            }
            for (var i = 0; i < windows.Count; i++)
            {
                var tat = buckets.Tats.TryGetValue(keys[i], out var t) ? Math.Max(t, granted) : granted;
                buckets.Tats[keys[i]] = tat + Spacing(windows[i]);
            }
            DropPassedWhenDue(buckets, now);
            return delay;
        }
    }

    /// <summary>The spacing of calls: period / requests, rounded up to the tick so the pace is never faster than declared.</summary>
    internal static long Spacing(RequestRate window) => (window.Period.Ticks + window.Requests - 1) / Math.Max(window.Requests, 1);

    /// <summary>How far ahead of its TAT a call may go: burst - 1 spacings.</summary>
    private static long Tolerance(RequestRate window) => Spacing(window) * Math.Max(window.Burst - 1, 0);

    private static void DropPassedWhenDue(ProviderBuckets buckets, long now)
    {
        if (now - buckets.LastCleanup < CleanupInterval.Ticks)
        {
            return;
        }
        buckets.LastCleanup = now;
        foreach (var (key, tat) in buckets.Tats)
        {
            if (tat <= now)
            {
                // Removing while enumerating is allowed for Dictionary since .NET Core 3.0.
                buckets.Tats.Remove(key);
            }
        }
    }

    private readonly record struct BucketKey(string Account, int Requests, long PeriodTicks);

    /// <summary>One provider's windows: each bucket's TAT in ticks of this limiter's clock; guarded by locking the instance.</summary>
    private sealed class ProviderBuckets
    {
        public Dictionary<BucketKey, long> Tats { get; } = [];

        public long LastCleanup { get; set; }
    }
}
