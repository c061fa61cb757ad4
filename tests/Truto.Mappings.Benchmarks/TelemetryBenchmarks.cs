using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// What the instrumentation costs one unified delete through the runtime (in-memory HTTP, as in
/// <see cref="MappingBenchmarks"/>): nothing listening (the default), OpenTelemetry's SDK
/// aggregating the runtime's metrics, and metrics plus a sampled span per provider call. The
/// exporters point nowhere and export rarely: what is measured is recording, not shipping.
/// </summary>
[MemoryDiagnoser]
public class TelemetryBenchmarks
{
    private UnifiedContactsClient _client = null!;
    private IntegratedAccount _account = null!;
    private MeterProvider? _meters;
    private TracerProvider? _tracer;

    /// <summary>none, metrics, or metrics+traces.</summary>
    [Params("none", "metrics", "metrics+traces")]
    public string Listening { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        (_client, _account) = InMemoryRuntime.Start();
        if (Listening != "none")
        {
            _meters = Sdk.CreateMeterProviderBuilder()
                .AddMeter(TrutoTelemetry.MeterName)
                .AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Endpoint = new Uri("http://127.0.0.1:4317");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 3_600_000;
                })
                .Build();
        }
        if (Listening == "metrics+traces")
        {
            _tracer = Sdk.CreateTracerProviderBuilder()
                .AddSource(TrutoTelemetry.ActivitySourceName)
                .SetSampler(new AlwaysOnSampler())
                .AddOtlpExporter(exporter => exporter.Endpoint = new Uri("http://127.0.0.1:4317"))
                .Build();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _tracer?.Dispose();
        _meters?.Dispose();
    }

    [Benchmark(Description = "Salesforce: unified delete through the runtime (in-memory HTTP)")]
    public async Task<int> UnifiedDelete()
    {
        await using var result = await _client.DeleteAsync(_account, InMemoryRuntime.ContactId);
        return result.Body.Length;
    }
}
