using System.Globalization;

namespace Truto.Mappings.Http;

/// <summary>
/// The total time a unified call may take (<see cref="TrutoMappingsOptions.CallDeadline"/>,
/// <see cref="TrutoMappingsOptions.BatchDeadline"/>): attempts, back-off waits and rate-limit
/// queueing all count. Its <see cref="Token"/> is cancelled when the caller cancels or the time
/// is up; <see cref="HasPassed"/> tells the two apart, so a passed deadline becomes a 504 while a
/// caller's cancellation stays a cancellation. Measured on the runtime's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class Deadline : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly CancellationToken _caller;
    private readonly TimeProvider _time;
    private readonly long _started;

    /// <summary>Starts the clock: <paramref name="limit"/> from now, named by <paramref name="setting"/> in messages.</summary>
    public Deadline(TimeSpan limit, string setting, TimeProvider time, CancellationToken caller)
    {
        Limit = limit;
        Setting = setting;
        _caller = caller;
        _time = time;
        _started = time.GetTimestamp();
        _timer = limit == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(limit, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(caller, _timer.Token);
    }

    /// <summary>How long the call may take.</summary>
    public TimeSpan Limit { get; }

    /// <summary>The configuration key that sets it (<c>Runtime:CallDeadline</c>).</summary>
    public string Setting { get; }

    /// <summary>Cancelled when the deadline passes or the caller cancels.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>
    /// The time left (never negative), or <see cref="Timeout.InfiniteTimeSpan"/> for a deadline without
    /// a limit: how long a rate-limit wait may be before it is refused rather than waited out.
    /// </summary>
    public TimeSpan Remaining => Limit == Timeout.InfiniteTimeSpan
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromTicks(Math.Max(0, (Limit - _time.GetElapsedTime(_started)).Ticks));

    /// <summary>True when the time is up and the caller has not cancelled.</summary>
    public bool HasPassed => _timer.IsCancellationRequested && !_caller.IsCancellationRequested;

    /// <summary>"the deadline of 60 s (Runtime:CallDeadline)".</summary>
    public string Describe() => $"the deadline of {Format(Limit)} ({Setting})";

    /// <summary>A duration as people read it: "250 ms", "60 s", "10 min", "24 h".</summary>
    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalHours: >= 2 } when duration.Minutes == 0 && duration.Seconds == 0 && duration.Milliseconds == 0 => duration.TotalHours.ToString("0.#", CultureInfo.InvariantCulture) + " h",
        { TotalSeconds: < 1 } => duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms",
        { TotalMinutes: >= 2 } when duration.Seconds == 0 && duration.Milliseconds == 0 => duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min",
        _ => duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s",
    };

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
