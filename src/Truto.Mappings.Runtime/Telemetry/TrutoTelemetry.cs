using System.Diagnostics;

namespace Truto.Mappings.Telemetry;

/// <summary>
/// The names under which the runtime publishes its metrics (<see cref="System.Diagnostics.Metrics.Meter"/>)
/// and traces (<see cref="ActivitySource"/>): subscribe to them with OpenTelemetry
/// (<c>AddMeter(TrutoTelemetry.MeterName)</c>, <c>AddSource(TrutoTelemetry.ActivitySourceName)</c>)
/// or any <see cref="System.Diagnostics.Metrics.MeterListener"/>. Nothing is measured while no one listens.
/// </summary>
/// <remarks>
/// Labels name the integration, the method, statuses and outcomes only: never an account, a
/// tenant, a contact id, a URL or a credential, so a metrics backend holds nothing secret and its
/// series stay few.
/// </remarks>
public static class TrutoTelemetry
{
    /// <summary>The meter of the runtime's instruments (<c>truto.unified.*</c>, <c>truto.provider.*</c>, <c>truto.oauth.*</c>, <c>truto.batch.*</c>).</summary>
    public const string MeterName = "Truto.Mappings";

    /// <summary>The activity source of the span per provider call (<c>truto.provider.call</c>).</summary>
    public const string ActivitySourceName = "Truto.Mappings";

    /// <summary>
    /// One source for the process, as <see cref="HttpClient"/>'s own: spans carry no per-container
    /// state, and a static source costs nothing while no listener is attached.
    /// </summary>
    internal static readonly ActivitySource Source = new(ActivitySourceName, typeof(TrutoTelemetry).Assembly.GetName().Version?.ToString());
}
