namespace Truto.Mappings.Server.Telemetry;

/// <summary>
/// What the server exports (configuration <c>Telemetry:</c>), read once at start. OTLP follows the
/// standard OpenTelemetry variables instead: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> switches it on.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The scrape path when <c>Telemetry:Prometheus:Path</c> sets none.</summary>
    public const string DefaultPrometheusPath = "/metrics";

    /// <summary><c>Telemetry:Prometheus:Enabled</c>: serve the metrics for Prometheus to scrape (off by default: the path is a 404).</summary>
    public bool PrometheusEnabled { get; init; }

    /// <summary><c>Telemetry:Prometheus:Path</c> (default <c>/metrics</c>). Unauthenticated: expose it only where Prometheus reaches it.</summary>
    public string PrometheusPath { get; init; } = DefaultPrometheusPath;

    /// <summary>True when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: metrics and traces go to that collector.</summary>
    public bool OtlpEnabled { get; init; }

    /// <summary>True when anything is exported; otherwise no listener is attached and nothing is measured.</summary>
    public bool AnyExporter => PrometheusEnabled || OtlpEnabled;

    /// <summary>Reads the settings from <paramref name="configuration"/>.</summary>
    public static TelemetryOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new TelemetryOptions
        {
            PrometheusEnabled = configuration.GetValue("Telemetry:Prometheus:Enabled", false),
            PrometheusPath = configuration["Telemetry:Prometheus:Path"] is { Length: > 0 } path ? path : DefaultPrometheusPath,
            OtlpEnabled = !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]),
        };
    }
}
