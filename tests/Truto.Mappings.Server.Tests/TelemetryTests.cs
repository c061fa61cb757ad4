using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Telemetry;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// Metrics served for Prometheus when switched on (and a 404 otherwise), their series and labels
/// after real unified calls, and trace context kept from third-party providers unless configured.
/// </summary>
public sealed class TelemetryTests : IAsyncLifetime
{
    private const string ProviderToken = "hubspot-secret-token-5f1e";
    private const string Tenant = "tenant-acme-7c2d";

    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");
    private static readonly RecordedAnswer NotFound = new(404, new Dictionary<string, string>(), """{"status":"error","message":"resource not found","category":"OBJECT_NOT_FOUND"}""", "application/json");

    private ReplayServer _provider = null!;

    [Fact]
    public async Task The_metrics_endpoint_is_a_404_unless_Prometheus_is_switched_on()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await server.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_scrape_after_unified_calls_shows_their_series_labelled_by_integration_method_and_status_without_ids_or_secrets()
    {
        await using var server = await TestServer.StartAsync("--Telemetry:Prometheus:Enabled=true", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", Context(), Tenant);

        _provider.Load([NoContent]);
        using (var deleted = await server.Client.DeleteAsync($"/unified/crm/contacts/5550123?integrated_account_id={account}"))
        {
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        }
        _provider.Load([NotFound]);
        using (var missing = await server.Client.DeleteAsync($"/unified/crm/contacts/5550124?integrated_account_id={account}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }
        _provider.Load([NoContent]);
        using (var batch = await server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={account}",
            new StringContent("""{"id": ["5550125", "5550126"]}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        }

        // Anonymous, as Prometheus scrapes.
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        var scrape = await anonymous.GetStringAsync("/metrics");

        Assert.Contains(Series(scrape, "truto_unified_request_duration_seconds_count"), s => Has(s, "truto_integration", "hubspot") && Has(s, "truto_method", "delete") && Has(s, "http_response_status_code", "200"));
        Assert.Contains(Series(scrape, "truto_unified_request_duration_seconds_count"), s => Has(s, "truto_integration", "hubspot") && Has(s, "truto_method", "delete") && Has(s, "http_response_status_code", "404"));
        Assert.Contains(Series(scrape, "truto_unified_request_duration_seconds_count"), s => Has(s, "truto_integration", "hubspot") && Has(s, "truto_method", "batch_delete") && Has(s, "http_response_status_code", "200"));
        Assert.Contains(Series(scrape, "truto_provider_call_duration_seconds_count"), s => Has(s, "truto_integration", "hubspot") && Has(s, "http_response_status_code", "404"));
        Assert.Contains(Series(scrape, "truto_provider_call_duration_seconds_count"), s => Has(s, "truto_integration", "hubspot") && Has(s, "http_response_status_code", "204"));
        Assert.Contains(Series(scrape, "truto_provider_call_attempts_count"), s => Has(s, "truto_integration", "hubspot"));
        Assert.Contains(Series(scrape, "truto_batch_ids_total"), s => Has(s, "truto_integration", "hubspot") && Has(s, "truto_outcome", "deleted"));
        Assert.Contains(Series(scrape, "http_server_request_duration_seconds_count"), s => Has(s, "http_route", "/unified/crm/contacts/{id}"));
        foreach (var forbidden in (string[])[account, ProviderToken, TestServer.EnvironmentToken, Tenant, "5550123", "5550124", "5550125", "5550126", _provider.Url.Authority])
        {
            Assert.DoesNotContain(forbidden, scrape, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_job_is_counted_as_it_is_queued_claimed_and_finished()
    {
        await using var server = await TestServer.StartAsync("--Telemetry:Prometheus:Enabled=true", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", Context(), Tenant);
        _provider.Load([NoContent]);

        using var started = await JobApi.StartAsync(server.Client, account, ["5550128", "5550129"]);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var job = await JobApi.PollAsync(server.Client, started.Headers.Location!);
        Assert.Equal("succeeded", (string?)job["status"]);
        // The worker counts the final status just after storing it: wait for the series, not for time.
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        string scrape;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        do
        {
            scrape = await anonymous.GetStringAsync("/metrics", limit.Token);
        }
        while (!Series(scrape, "truto_job_transitions_total").Any(s => Has(s, "truto_job_status", "succeeded")) && await Delay(limit.Token));

        foreach (var status in (string[])["queued", "running", "succeeded"])
        {
            Assert.Contains(Series(scrape, "truto_job_transitions_total"), s => Has(s, "truto_job_status", status));
        }
        Assert.DoesNotContain((string)job["id"]!, scrape, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Provider_calls_carry_no_trace_context_by_default_and_carry_it_when_configured()
    {
        // A logger makes ASP.NET Core start an activity per request, as every real deployment does;
        // HttpClient then writes traceparent unless told not to.
        var quiet = await DeleteAndReadProviderHeadersAsync();
        var propagating = await DeleteAndReadProviderHeadersAsync("--Telemetry:PropagateTraceContext=true");

        Assert.DoesNotContain("traceparent", quiet.Keys);
        Assert.DoesNotContain("tracestate", quiet.Keys);
        Assert.DoesNotContain("baggage", quiet.Keys);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", propagating["traceparent"]);
    }

    [Fact]
    public async Task With_tracing_exported_each_provider_call_is_a_span_without_its_url_and_providers_still_see_no_trace_context()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TrutoTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (spans)
                {
                    spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var traceId = ActivityTraceId.CreateRandom();

        // An OTLP endpoint nobody listens on: the server traces, exporting fails quietly in the background.
        var headers = await DeleteAndReadProviderHeadersAsync(["--OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:9"], $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");

        Assert.DoesNotContain("traceparent", headers.Keys);
        Activity span;
        lock (spans)
        {
            // Spans of other tests' calls are in the process too; this call's carries the caller's trace id.
            span = Assert.Single(spans, s => s.TraceId == traceId);
        }
        Assert.Equal("truto.provider.call", span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("hubspot", span.GetTagItem("truto.integration"));
        Assert.Equal("DELETE", span.GetTagItem("http.request.method"));
        Assert.Equal(204, span.GetTagItem("http.response.status_code"));
        Assert.Equal(1, span.GetTagItem("truto.attempts"));
        Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains("5550127", StringComparison.Ordinal) == true);
    }

    private Task<IReadOnlyDictionary<string, string>> DeleteAndReadProviderHeadersAsync(params string[] extraArgs)
        => DeleteAndReadProviderHeadersAsync(extraArgs, null);

    /// <summary>One unified delete through a server started with <paramref name="extraArgs"/> (and a logger); the headers the provider received.</summary>
    private async Task<IReadOnlyDictionary<string, string>> DeleteAndReadProviderHeadersAsync(string[] extraArgs, string? traceparent)
    {
        var logs = new CollectingLoggerProvider();
        await using var server = await TestServer.StartAsync(builder => builder.Logging.AddProvider(logs), [_provider.AllowArgument(), .. extraArgs]);
        var account = await server.CreateAccountAsync("hubspot", Context(), Tenant);
        _provider.Load([NoContent]);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/5550127?integrated_account_id={account}");
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }
        using var response = await server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return _provider.Received.Single().Headers;
    }

    private JsonObject Context() => new()
    {
        ["base_url"] = _provider.Url.ToString(),
        ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = ProviderToken } },
    };

    /// <summary>The lines of the scrape that are samples of <paramref name="metric"/> (name then labels).</summary>
    private static IEnumerable<string> Series(string scrape, string metric)
        => scrape.Split('\n').Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal) || line.StartsWith(metric + " ", StringComparison.Ordinal));

    /// <summary>Waits a little before the next scrape (the exporter caches one for a moment); true to go on.</summary>
    private static async Task<bool> Delay(CancellationToken cancellationToken)
    {
        await Task.Delay(100, cancellationToken);
        return true;
    }

    private static bool Has(string series, string label, string value) => series.Contains($"{label}=\"{value}\"", StringComparison.Ordinal);

    public async Task InitializeAsync() => _provider = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();
}
