using System.Diagnostics;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>A token bucket: <paramref name="perSecond"/> calls a second, at most <paramref name="capacity"/> at once; starts full.</summary>
internal sealed class DeclaredRate(double perSecond, int capacity)
{
    private readonly Lock _lock = new();
    private double _tokens = capacity;
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Takes one call's token, or says there is none.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(capacity, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }
            _tokens--;
            return true;
        }
    }
}
