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
        var services = new ServiceCollection().AddTrutoMappings(o => o.Egress.AllowedBaseUrls.Add("http://bench.invalid"));
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new NoContentHandler()));
        _client = services.BuildServiceProvider().GetRequiredService<UnifiedContactsClient>();
        _account = new IntegratedAccount("bench", "salesforce", AccountContext.Parse("""{"base_url": "http://bench.invalid", "instance_url": "https://bench.my.salesforce.com", "oauth": {"token": {"access_token": "t"}}}"""));
        // A benchmark of a failure would measure the wrong path: the delete must succeed.
        var check = _client.DeleteAsync(_account, "003Hs0000000001IAZ").GetAwaiter().GetResult();
        if (check.StatusCode != 200)
        {
            throw new InvalidOperationException($"The benchmarked delete answers {check.StatusCode}: {System.Text.Encoding.UTF8.GetString(check.Body.Span)}");
        }
        check.DisposeAsync().AsTask().GetAwaiter().GetResult();
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
        await using var result = await _client.DeleteAsync(_account, "003Hs0000000001IAZ");
        return result.Body.Length;
    }

    /// <summary>Answers every request like Salesforce's delete: 204, no body.</summary>
    private sealed class NoContentHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request });
    }
}
