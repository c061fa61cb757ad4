using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>One measurement of a runtime instrument: its name, value and labels.</summary>
internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? this[string tag] => Tags.GetValueOrDefault(tag);
}

/// <summary>
/// Listens to the runtime's meter as an exporter would. The listener sees every client in the
/// process, so tests read only the measurements of their own integration name (<see cref="Of"/>).
/// Measurements are recorded before the call that made them returns, so reading after it is safe.
/// </summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == TrutoTelemetry.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="instrument"/> labelled with <paramref name="integration"/>.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, string integration)
        => _measurements.Where(m => m.Instrument == instrument && Equals(m["truto.integration"], integration)).ToList();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, tagValue) in tags)
        {
            copy[key] = tagValue;
        }
        _measurements.Enqueue(new Measurement(instrument.Name, value, copy));
    }

    public void Dispose() => _listener.Dispose();
}
