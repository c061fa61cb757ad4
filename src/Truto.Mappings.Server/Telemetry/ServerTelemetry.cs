using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Server.Telemetry;

/// <summary>
/// Exports the runtime's and the server's metrics and traces through OpenTelemetry, as
/// configuration says (<see cref="TelemetryOptions"/>): a Prometheus scrape endpoint, OTLP, both or
/// neither. With neither, OpenTelemetry is not registered at all, so no listener is attached and
/// the instruments record nothing.
/// </summary>
public static class ServerTelemetry
{
    /// <summary>The service name when <c>OTEL_SERVICE_NAME</c> sets none.</summary>
    public const string DefaultServiceName = "truto-mappings";

    /// <summary>Registers OpenTelemetry's metrics (and, with OTLP, traces) for the configured exporters.</summary>
    public static void AddTrutoTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = TelemetryOptions.From(configuration);
        services.AddSingleton(settings);
        if (!settings.AnyExporter)
        {
            return;
        }
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : DefaultServiceName))
            .WithMetrics(metrics =>
            {
                // The runtime's and the jobs' instruments, and ASP.NET Core's http.server.* (labelled by route template, never the path).
                metrics.AddMeter(TrutoTelemetry.MeterName, JobMetrics.MeterName).AddAspNetCoreInstrumentation();
                if (settings.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (settings.OtlpEnabled)
        {
            // Spans only where they go somewhere: Prometheus takes no traces.
            telemetry.WithTracing(tracing => tracing
                .AddSource(TrutoTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(options =>
                {
                    options.Filter = context => !IsOperational(context.Request.Path, settings);
                    // The span is named by the route template; the path holds contact ids, the query account ids.
                    options.EnrichWithHttpRequest = (activity, _) => activity.SetTag("url.path", null).SetTag("url.query", null);
                }));
            // OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS …: the exporter reads the standard variables.
            telemetry.UseOtlpExporter();
        }
    }

    /// <summary>Serves the Prometheus scrape endpoint when it is switched on; otherwise its path stays a 404.</summary>
    public static void MapTrutoTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = app.Services.GetRequiredService<TelemetryOptions>();
        if (settings.PrometheusEnabled)
        {
            // For Prometheus, not an API operation: kept out of the OpenAPI document.
            app.MapPrometheusScrapingEndpoint(settings.PrometheusPath).ExcludeFromDescription();
        }
    }

    /// <summary>Health probes and scrapes, which would only drown the spans of real calls.</summary>
    private static bool IsOperational(PathString path, TelemetryOptions settings)
        => path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz") || path.StartsWithSegments(settings.PrometheusPath);
}
