using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>The runtime's behaviour beyond one mapping: validation, chunking, retries, transport failures, formats, secrets.</summary>
public sealed class UnifiedContactsClientTests : IAsyncLifetime, IDisposable
{
    private const string HubSpotToken = "hubspot-secret-token-123";
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private readonly CapturingLoggerProvider _logs = new();
    private ReplayServer _server = null!;

    private IntegratedAccount HubSpot(string? baseUrl = null) => new("acc-1", "hubspot", AccountContext.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["base_url"] = baseUrl ?? _server.Url.ToString(),
        ["oauth"] = new { token = new { access_token = HubSpotToken } },
    })));

    private UnifiedContactsClient Client(Action<TrutoMappingsOptions>? configure = null)
        => new ServiceCollection()
            .AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddTrutoMappings(o =>
            {
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                // The replay server is on loopback: only an allowed origin may be called there.
                o.Egress.AllowedBaseUrls.Add(_server.Origin);
                configure?.Invoke(o);
            })
            .BuildServiceProvider()
            .GetRequiredService<UnifiedContactsClient>();

    [Fact]
    public async Task A_missing_context_key_is_a_400_naming_it_before_any_provider_call()
    {
        var account = new IntegratedAccount("acc-1", "hubspot", AccountContext.Parse($$"""{"base_url": "{{_server.Url}}"}"""));

        await using var result = await Client().DeleteAsync(account, "51");

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("oauth.token.access_token", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"context.oauth.token.access_token\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task A_providers_redirect_is_never_followed_and_answers_502_with_its_status()
    {
        await using var elsewhere = await ReplayServer.StartAsync();
        elsewhere.Load(NoContent, 1);
        _server.Load(new RecordedAnswer(303, new Dictionary<string, string> { ["Location"] = new Uri(elsewhere.Url, "/crm/v3/objects/contacts/51").ToString() }, null, "application/json"), 1);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal(502, result.StatusCode);
        Assert.Contains("303", result.Error!.Message, StringComparison.Ordinal);
        // The API key never reaches the host the provider pointed at.
        Assert.Empty(elsewhere.Received);
        Assert.Single(_server.Received);
    }

    [Theory]
    [InlineData("token\r\nX-Injected: yes")]
    [InlineData("token\nX-Injected: yes")]
    [InlineData("tok\u0000en")]
    public async Task A_context_value_with_control_characters_is_a_400_naming_its_key_before_any_provider_call(string token)
    {
        var account = new IntegratedAccount("acc-1", "hubspot", AccountContext.Parse(JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["base_url"] = _server.Url.ToString(),
            ["oauth"] = new { token = new { access_token = token } },
        })));

        await using var result = await Client().DeleteAsync(account, "51");

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"context.oauth.token.access_token\"", Text(result), StringComparison.Ordinal);
        Assert.DoesNotContain("X-Injected", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData("51\r\nX-Injected: yes")]
    public async Task A_single_id_that_would_bend_the_provider_path_is_a_400_and_never_sent(string id)
    {
        await using var result = await Client().DeleteAsync(HubSpot(), id);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"id\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task Batch_ids_that_would_bend_the_request_are_answered_in_errors_and_never_sent()
    {
        _server.Load(NoContent, 1);

        await using var result = await Client().BatchDeleteAsync(HubSpot(), ["..", "51", "5\n2", "53"]);

        Assert.Equal(200, result.StatusCode);
        var sent = Assert.Single(_server.Received);
        Assert.Equal("""{"inputs":[{"id":"51"},{"id":"53"}]}""", sent.Body);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["51", "53"], body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["..", "5\n2"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal(400, e.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public async Task A_batch_of_only_refused_ids_is_a_400_listing_each_without_a_provider_call()
    {
        await using var result = await Client().BatchDeleteAsync(HubSpot(), ["..", "."]);

        Assert.Equal(400, result.StatusCode);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["..", "."], body.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Empty(_server.Received);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_provider_answer_larger_than_the_limit_is_a_502_naming_the_limit(bool declaresLength)
    {
        var body = "{\"padding\": \"" + new string('x', 5_000) + "\"}";
        var headers = declaresLength ? new Dictionary<string, string> { ["Content-Length"] = body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) } : [];
        _server.Load(new RecordedAnswer(200, headers, body, "application/json"), 1);

        await using var result = await Client(o => o.MaxResponseBytes = 1_000).DeleteAsync(HubSpot(), "51");

        Assert.Equal(502, result.StatusCode);
        Assert.Contains("1000 bytes", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("MaxResponseBytes", result.Error.Message, StringComparison.Ordinal);
        // Not retried: a second attempt would only read the same oversized answer again.
        Assert.Single(_server.Received);
    }

    [Fact]
    public async Task A_provider_answer_within_the_limit_is_read_whole()
    {
        var body = "{\"id\": \"51\", \"properties\": {\"firstname\": \"" + new string('x', 900) + "\"}}";
        _server.Load(new RecordedAnswer(200, new Dictionary<string, string>(), body, "application/json"), 1);

        await using var result = await Client(o => o.MaxResponseBytes = body.Length).DeleteAsync(HubSpot(), "51");

        // HubSpot's delete succeeds with 204 only, so this 200 is its error, with the body whole in raw_response.
        Assert.DoesNotContain("MaxResponseBytes", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains(new string('x', 900) + "\"}}", Text(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_data_that_would_replace_the_mapped_ids_is_a_400_naming_it_before_any_call()
    {
        var replace = JsonDocument.Parse("""{"inputs": [{"id": "999"}]}""").RootElement;

        await using var result = await Client().BatchDeleteAsync(HubSpot(), ["51"], replace);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"remote_data.inputs\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Theory]
    [InlineData("query", "mutation { delete_board (board_id: 1) { id } }", "remote_data.query")]
    [InlineData("variables", "{\"id\": \"999\"}", "remote_data.variables.id")]
    public async Task Remote_data_that_would_replace_mondays_GraphQL_query_or_variables_is_a_400_naming_it(string key, string value, string field)
    {
        // monday.yaml's delete is one GraphQL mutation with the id as a variable: remote_data may not
        // swap the mutation (an arbitrary one would run) or the variables (another item would go).
        var account = new IntegratedAccount("acc-m", "monday", Context(new { base_url = _server.Url.ToString(), oauth = new { token = new { access_token = "t" } } }));
        var replace = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            [key] = key == "variables" ? JsonDocument.Parse(value).RootElement : value,
        })).RootElement;

        await using var result = await Client().BatchDeleteAsync(account, ["51"], replace);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains($"\"field\":\"{field}\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task Remote_data_that_only_adds_members_is_merged_into_the_body()
    {
        _server.Load(NoContent, 1);
        var extra = JsonDocument.Parse("""{"inputs_meta": {"source": "cleanup"}}""").RootElement;

        await using var result = await Client().BatchDeleteAsync(HubSpot(), ["51"], extra);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"inputs":[{"id":"51"}],"inputs_meta":{"source":"cleanup"}}""", Assert.Single(_server.Received).Body);
    }

    [Fact]
    public async Task An_unknown_integration_is_a_400_listing_the_known_ones()
    {
        var account = new IntegratedAccount("acc-1", "hubspott", AccountContext.Parse("{}"));

        await using var result = await Client().DeleteAsync(account, "51");

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("'hubspott'", result.Error!.Message, StringComparison.Ordinal);
        // Derived from the catalog, so adding a provider file changes no C# here.
        using var services = new ServiceCollection().AddTrutoMappings().BuildServiceProvider();
        var known = services.GetRequiredService<ProviderCatalog>().Names.ToList();
        Assert.Contains("hubspot", known);
        Assert.Contains(string.Join(", ", known), result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_id_list_is_a_400_naming_the_id_field()
    {
        await using var result = await Client().BatchDeleteAsync(HubSpot(), ["", " "]);

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"failures\":[{\"field\":\"id\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task More_ids_than_one_batch_holds_are_sent_in_chunks_and_each_id_is_answered_once()
    {
        var ids = Enumerable.Range(1, 230).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        _server.Load(NoContent, 3);

        var reports = new List<BatchProgress>();

        await using var result = await Client().BatchDeleteAsync(HubSpot(), ids, progress: new SynchronousProgress(reports));

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(3, reports.Count);
        Assert.Equal(new BatchProgress(3, 3, 230, 0), reports.MaxBy(r => r.CompletedCalls)! with { Call = null });
        // Each report carries its call's ids and their entries, as the final answer writes them.
        Assert.Equal(ids.Order(StringComparer.Ordinal), reports.SelectMany(r => r.Call!.Ids).Order(StringComparer.Ordinal));
        Assert.Equal([1, 2, 3], reports.Select(r => r.Call!.Chunk).Order());
        foreach (var report in reports)
        {
            Assert.Equal(report.Call!.Ids, report.Call.Answer.ReadContacts().Select(c => c.Id));
        }
        var sent = _server.Received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("inputs").GetArrayLength()).Order().ToList();
        Assert.Equal([30, 100, 100], sent);
        var answered = result.ReadContacts().Select(c => c.Id).ToList();
        Assert.Equal(ids, answered);
    }

    [Theory]
    [InlineData("batch_delete")]
    [InlineData("batch-delete")]
    public async Task The_generic_entry_point_runs_a_method_by_name_or_slug_like_the_typed_one(string method)
    {
        _server.Load(NoContent, 1);

        await using var result = await Client().ExecuteAsync(HubSpot(), method, new OperationInput(["51", "52"]));

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["51", "52"], result.ReadContacts().Select(c => c.Id));
        Assert.Equal("/crm/v3/objects/contacts/batch/archive", Assert.Single(_server.Received).PathAndQuery);
    }

    [Fact]
    public async Task The_generic_entry_point_answers_an_unknown_method_with_a_404_listing_the_methods()
    {
        await using var result = await Client().ExecuteAsync(HubSpot(), "update", new OperationInput(["51"]));

        Assert.Equal(404, result.StatusCode);
        Assert.Equal("Unknown method 'update'; contacts has delete and batch-delete.", result.Error!.Message);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task A_single_id_method_given_several_ids_is_a_400_before_any_provider_call()
    {
        await using var result = await Client().ExecuteAsync(HubSpot(), "delete", new OperationInput(["51", "52"]));

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"id\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task The_input_is_checked_before_the_integration_is_resolved()
    {
        var unknown = new IntegratedAccount("acc-1", "hubspott", AccountContext.Parse("{}"));

        await using var result = await Client().DeleteAsync(unknown, " ");

        Assert.Equal(400, result.StatusCode);
        Assert.Equal("The contact id is empty.", result.Error!.Message);
    }

    [Fact]
    public async Task A_429_with_a_short_Retry_After_is_retried_and_succeeds()
    {
        _server.Load([new RecordedAnswer(429, new Dictionary<string, string> { ["Retry-After"] = "1" }, "{\"message\":\"slow down\"}", "application/json"), NoContent]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task A_429_whose_Retry_After_exceeds_the_budget_is_returned_with_Retry_After_forwarded()
    {
        _server.Load([new RecordedAnswer(429, new Dictionary<string, string> { ["Retry-After"] = "3600" }, "{\"message\":\"come back later\"}", "application/json")]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal(429, result.StatusCode);
        Assert.Single(_server.Received);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "3600"), result.Headers);
        Assert.Equal("come back later", result.Error!.Message);
    }

    [Fact]
    public async Task A_502_from_the_provider_is_retried_with_backoff()
    {
        _server.Load([new RecordedAnswer(502, new Dictionary<string, string>(), "bad gateway", "text/plain"), NoContent]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(2, _server.Received.Count);
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_502_envelope()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        await using var result = await Client(o =>
        {
            o.MaxAttempts = 1;
            o.Egress.AllowedBaseUrls.Add($"http://127.0.0.1:{port}");
        }).DeleteAsync(HubSpot($"http://127.0.0.1:{port}"), "51");

        Assert.Equal(502, result.StatusCode);
        Assert.Contains("could not be reached", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_slower_than_the_timeout_is_a_504_envelope()
    {
        _server.Load([NoContent with { Delay = TimeSpan.FromSeconds(5) }]);

        await using var result = await Client(o =>
        {
            o.MaxAttempts = 1;
            o.ProviderTimeout = TimeSpan.FromMilliseconds(200);
        }).DeleteAsync(HubSpot(), "51");

        Assert.Equal(504, result.StatusCode);
        Assert.Equal("Gateway Timeout", result.Error!.Error);
    }

    [Fact]
    public async Task Stream_format_passes_the_provider_body_through_with_its_content_type()
    {
        _server.Load([new RecordedAnswer(404, new Dictionary<string, string>(), "{\"message\":\"Object not found.\"}", "application/problem+json")]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51", new UnifiedRequestOptions { Format = ResponseFormat.Stream });
        using var copy = new MemoryStream();
        await result.WriteToAsync(copy);

        Assert.True(result.IsStreamed);
        Assert.Equal(404, result.StatusCode);
        Assert.Equal("application/problem+json", result.ContentType);
        Assert.Equal("{\"message\":\"Object not found.\"}", System.Text.Encoding.UTF8.GetString(copy.ToArray()));
    }

    [Fact]
    public async Task Remote_query_that_would_replace_a_mapped_query_parameter_is_a_400_naming_it()
    {
        var account = new IntegratedAccount("acc-2", "salesforce", Context(new { base_url = _server.Url.ToString(), instance_url = "https://acme.my.salesforce.com", oauth = new { token = new { access_token = "t" } } }));

        await using var result = await Client().BatchDeleteAsync(account, ["003Hs00000AbCdEIAZ"], options: new UnifiedRequestOptions { RemoteQuery = [new("ids", "003Hs00000AbCdZIAZ")] });

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"remote_query.ids\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task Remote_query_adds_parameters_after_the_mapped_ones()
    {
        var account = new IntegratedAccount("acc-2", "salesforce", Context(new { base_url = _server.Url.ToString(), instance_url = "https://acme.my.salesforce.com", oauth = new { token = new { access_token = "t" } } }));
        _server.Load([new RecordedAnswer(200, new Dictionary<string, string>(), "[{\"id\":\"003Hs00000AbCdEIAZ\",\"success\":true,\"errors\":[]}]", "application/json")]);

        await using var result = await Client().BatchDeleteAsync(account, ["003Hs00000AbCdEIAZ"], options: new UnifiedRequestOptions { RemoteQuery = [new("debug", "1")] });

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("/composite/sobjects?ids=003Hs00000AbCdEIAZ&allOrNone=false&debug=1", _server.Received.Single().PathAndQuery);
    }

    [Fact]
    public async Task A_configured_base_url_is_used_when_the_account_has_none()
    {
        var account = new IntegratedAccount("acc-3", "hubspot", Context(new { oauth = new { token = new { access_token = HubSpotToken } } }));
        _server.Load([NoContent]);

        await using var result = await Client(o => o.ProviderBaseUrls["hubspot"] = _server.Url.ToString()).DeleteAsync(account, "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("/crm/v3/objects/contacts/51", _server.Received.Single().PathAndQuery);
    }

    [Fact]
    public async Task An_id_cannot_change_the_provider_path()
    {
        // hubspot.yaml declares id_pattern '[0-9]+'; how an id that passes is encoded into its one
        // path segment is CallBuilderTests' concern.
        await using var result = await Client().DeleteAsync(HubSpot(), "../../batch/archive?x=1");

        Assert.Equal(400, result.StatusCode);
        Assert.Contains("\"field\":\"id\"", Text(result), StringComparison.Ordinal);
        Assert.Empty(_server.Received);
    }

    [Fact]
    public async Task The_deleted_contact_reads_as_a_typed_object()
    {
        _server.Load([NoContent]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal("51", result.ReadContact().Id);
    }

    [Fact]
    public async Task Tokens_never_appear_in_logs_or_error_bodies()
    {
        _server.Load([new RecordedAnswer(401, new Dictionary<string, string>(), "{\"message\":\"bad token\"}", "application/json")]);

        await using var result = await Client().DeleteAsync(HubSpot(), "51");

        Assert.Equal(401, result.StatusCode);
        Assert.Equal("Bearer " + HubSpotToken, _server.Received.Single().Headers["authorization"]);
        Assert.DoesNotContain(HubSpotToken, Text(result), StringComparison.Ordinal);
        Assert.NotEmpty(_logs.Lines);
        Assert.DoesNotContain(_logs.Lines, line => line.Contains(HubSpotToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_stops_the_provider_call()
    {
        _server.Load([NoContent with { Delay = TimeSpan.FromSeconds(5) }]);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client().DeleteAsync(HubSpot(), "51", cancellationToken: cancellation.Token));
    }

    public void Dispose() => _logs.Dispose();

    /// <summary>Collects reports on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
    private sealed class SynchronousProgress(List<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }

    private static AccountContext Context(object value) => new(JsonSerializer.SerializeToElement(value));

    private static string Text(UnifiedResult result) => System.Text.Encoding.UTF8.GetString(result.Body.Span);

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync()
    {
        _logs.Dispose();
        await _server.DisposeAsync();
    }
}
