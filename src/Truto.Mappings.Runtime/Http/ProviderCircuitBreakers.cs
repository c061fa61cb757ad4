using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Truto.Mappings.Http;

/// <summary>
/// One Polly circuit breaker per provider and account, so a provider that keeps failing for one
/// account is not hammered (and does not slow that account's callers down: they get a 503 at
/// once) while other accounts go on. A breaker opens when at least
/// <see cref="TrutoMappingsOptions.BreakerFailureRatio"/> of the calls in the sampling window
/// failed — a 5xx, a timeout, a connection failure; a 4xx is the caller's problem, not the
/// provider's — stays open for <see cref="TrutoMappingsOptions.BreakerDuration"/>, then lets one
/// call probe. Breakers are created on first use and dropped when unused for a while (a new one
/// starts closed, which is what an idle one would have become), like the rate limiters.
/// </summary>
internal sealed class ProviderCircuitBreakers
{
    private readonly ConcurrentDictionary<(string Provider, string Account), Entry> _breakers = new();
    private readonly TrutoMappingsOptions _options;
    private readonly TimeProvider _time;
    private readonly TimeSpan _idle;
    private long _lastSweep;

    /// <summary>Creates the breakers with the runtime's options and clock.</summary>
    public ProviderCircuitBreakers(IOptions<TrutoMappingsOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        // Idle longer than a window and a break: nothing it remembers still matters.
        _idle = 2 * (_options.BreakerSamplingDuration > _options.BreakerDuration ? _options.BreakerSamplingDuration : _options.BreakerDuration);
        _lastSweep = time.GetTimestamp();
    }

    /// <summary>The breakers kept now (for tests: idle ones are dropped).</summary>
    public int Count => _breakers.Count;

    /// <summary>The breaker of one provider and account, as a pipeline to run its calls through.</summary>
    public ResiliencePipeline<HttpResponseMessage> For(string provider, string account)
    {
        var now = _time.GetTimestamp();
        Sweep(now);
        var entry = _breakers.GetOrAdd((provider, account), _ => new Entry(Create()));
        Interlocked.Exchange(ref entry.LastUsed, now);
        return entry.Pipeline;
    }

    /// <summary>True for an outcome the breaker counts as the provider failing.</summary>
    internal static bool IsFailure(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        // A connection our own egress policy refused says nothing about the provider's health.
        { Exception: HttpRequestException e } when Egress.EgressRefusedException.FoundIn(e) is not null => false,
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => (int)response.StatusCode >= 500,
        _ => false,
    };

    private ResiliencePipeline<HttpResponseMessage> Create()
        => new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = _options.BreakerFailureRatio,
                MinimumThroughput = _options.BreakerMinimumThroughput,
                SamplingDuration = _options.BreakerSamplingDuration,
                BreakDuration = _options.BreakerDuration,
                ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome)),
            })
            .Build();

    private void Sweep(long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (_time.GetElapsedTime(last, now) < _idle || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }
        foreach (var (key, entry) in _breakers)
        {
            if (_time.GetElapsedTime(Interlocked.Read(ref entry.LastUsed), now) >= _idle)
            {
                _breakers.TryRemove(new KeyValuePair<(string, string), Entry>(key, entry));
            }
        }
    }

    private sealed class Entry(ResiliencePipeline<HttpResponseMessage> pipeline)
    {
        public readonly ResiliencePipeline<HttpResponseMessage> Pipeline = pipeline;
        public long LastUsed;
    }
}
