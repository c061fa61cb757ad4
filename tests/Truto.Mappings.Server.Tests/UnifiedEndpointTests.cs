using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>The unified endpoints over real HTTP: happy paths against a loopback provider, and every bad input.</summary>
public sealed class UnifiedEndpointTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string> { ["X-HubSpot-RateLimit-Max"] = "190", ["X-HubSpot-RateLimit-Remaining"] = "150" }, null, "application/json");

    private TestServer _server = null!;
    private ReplayServer _provider = null!;
    private string _account = "";

    [Fact]
    public async Task Delete_answers_the_mapped_contact_with_rate_limit_headers_and_the_request_id()
    {
        _provider.Load([NoContent]);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/51?integrated_account_id={_account}");
        request.Headers.Add("X-Request-Id", "req-123");

        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"id\":\"51\"}", await response.Content.ReadAsStringAsync());
        Assert.Equal("190", response.Headers.GetValues("ratelimit-limit").Single());
        Assert.Equal("150", response.Headers.GetValues("ratelimit-remaining").Single());
        Assert.Equal("req-123", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("/crm/v3/objects/contacts/51", _provider.Received.Single().PathAndQuery);
    }

    [Fact]
    public async Task Batch_delete_merges_body_and_query_ids_in_order_without_duplicates()
    {
        _provider.Load([NoContent]);

        using var response = await _server.Client.PostAsync(
            $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}&id[]=3&id[]=1&id=4",
            Json("""{"id": ["1", "2"], "remote_data": {"archived_by": "test"}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"result":[{"id":"1"},{"id":"2"},{"id":"3"},{"id":"4"}]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("""{"inputs":[{"id":"1"},{"id":"2"},{"id":"3"},{"id":"4"}],"archived_by":"test"}""", _provider.Received.Single().Body);
    }

    [Fact]
    public async Task Truto_query_parameters_reach_the_runtime()
    {
        _provider.Load([new RecordedAnswer(200, new Dictionary<string, string>(), """[{"id":"003Hs00000AbCdEIAZ","success":true,"errors":[]}]""", "application/json")]);
        var salesforce = await _server.CreateAccountAsync("salesforce", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["instance_url"] = "https://example.my.salesforce.com",
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "sf" } },
        });

        using var response = await _server.Client.PostAsync(
            $"/unified/crm/contacts/batch-delete?integrated_account_id={salesforce}&id[]=003Hs00000AbCdEIAZ&truto_exclude_fields[]=remote_data.errors&remote_query[debug]=1",
            Json("{}"));

        Assert.Equal("""{"result":[{"id":"003Hs00000AbCdEIAZ","remote_data":{"id":"003Hs00000AbCdEIAZ","success":true}}]}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("/composite/sobjects?ids=003Hs00000AbCdEIAZ&allOrNone=false&debug=1", _provider.Received.Single().PathAndQuery);
    }

    [Fact]
    public async Task Stream_format_passes_the_provider_body_and_content_type_through()
    {
        _provider.Load([new RecordedAnswer(404, new Dictionary<string, string>(), "{\"message\":\"gone\"}", "application/problem+json")]);

        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/51?integrated_account_id={_account}&truto_response_format=stream");
        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("{\"message\":\"gone\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stream_format_sends_the_first_bytes_before_the_provider_has_finished()
    {
        var providerMayFinish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.Load([new RecordedAnswer(404, new Dictionary<string, string>(), "{\"message\":", "application/json") { HoldBeforeRest = providerMayFinish.Task, Rest = "\"gone\"}" }]);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/51?integrated_account_id={_account}&truto_response_format=stream");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var response = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
        var first = new byte[11];
        await body.ReadExactlyAsync(first, timeout.Token);
        // The provider is still holding the rest of its body: these bytes came through unbuffered.
        providerMayFinish.SetResult();
        using var rest = new StreamReader(body);

        Assert.Equal("{\"message\":", System.Text.Encoding.UTF8.GetString(first));
        Assert.Equal("\"gone\"}", await rest.ReadToEndAsync(timeout.Token));
    }

    [Fact]
    public async Task Stream_format_breaks_the_answer_off_when_the_provider_stalls_mid_body()
    {
        await using var server = await TestServer.StartAsync("--Runtime:ProviderTimeout=00:00:00.500", "--Runtime:MaxAttempts=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", TestServer.HubSpotContext(_provider.Url));
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _provider.Load([new RecordedAnswer(404, new Dictionary<string, string>(), "{\"message\":", "application/json") { HoldBeforeRest = never.Task, Rest = "\"gone\"}" }]);
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/unified/crm/contacts/51?integrated_account_id={account}&truto_response_format=stream");
        // Only a guard: without the stall timeout the caller would wait for the provider's rest until this.
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
            await using var body = await response.Content.ReadAsStreamAsync(guard.Token);
            var first = new byte[11];
            await body.ReadExactlyAsync(first, guard.Token);
            using var rest = new StreamReader(body);

            // The provider never sends the rest: after Runtime:ProviderTimeout without a byte the server
            // breaks the answer off (the caller sees it end early, never a complete-looking body).
            await Assert.ThrowsAnyAsync<IOException>(() => rest.ReadToEndAsync(guard.Token));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("{\"message\":", Encoding.UTF8.GetString(first));
            Assert.False(guard.IsCancellationRequested);
        }
        finally
        {
            never.TrySetResult();
        }
    }

    [Theory]
    [InlineData("a%2Fb")]
    [InlineData("a%252Fb")]
    [InlineData("caf%C3%A9")]
    [InlineData("5%0A2")]
    [InlineData("51%3Fx%3D1")]
    public async Task A_path_id_HubSpots_declared_pattern_refuses_is_a_400_naming_id_and_never_sent(string sent)
    {
        // hubspot.yaml declares id_pattern '[0-9]+': whatever decodes to something else stays here.
        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/{sent}?integrated_account_id={_account}");
        var envelope = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("id", (string?)envelope["details"]!["failures"]![0]!["field"]);
        Assert.Contains("was not sent to the provider", (string?)envelope["message"], StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_batch_id_outside_HubSpots_pattern_gets_its_own_400_and_only_the_others_are_sent()
    {
        _provider.Load([NoContent]);

        using var response = await _server.Client.PostAsync(
            $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}", Json("""{"id": ["51", "52/../../archive", "53"]}"""));
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray();

        var refused = Assert.Single(errors, e => (string?)e!["id"] == "52/../../archive")!;
        Assert.Equal(400, (int)refused["statusCode"]!);
        Assert.Equal("id", (string?)refused["details"]!["failures"]![0]!["field"]);
        Assert.Equal("""{"inputs":[{"id":"51"},{"id":"53"}]}""", _provider.Received.Single().Body);
    }

    [Theory]
    [InlineData("DELETE", "003Hs00000AbCdEIAZ,003Hs00000AbCdFIAZ")]
    [InlineData("POST", "003Hs00000AbCdEIAZ,003Hs00000AbCdFIAZ")]
    [InlineData("DELETE", "001Hs00000AbCdEIAZ")]
    public async Task A_Salesforce_id_that_would_smuggle_a_second_id_or_is_not_a_contact_is_refused(string method, string id)
    {
        // salesforce.yaml joins batch ids with ',' (id_separator) and declares contact ids as 003…:
        // one id holding the separator would delete two records.
        var salesforce = await _server.CreateAccountAsync("salesforce", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["instance_url"] = "https://example.my.salesforce.com",
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "sf" } },
        });
        using var response = method == "DELETE"
            ? await _server.Client.DeleteAsync($"/unified/crm/contacts/{Uri.EscapeDataString(id)}?integrated_account_id={salesforce}")
            : await _server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={salesforce}", Json($$"""{"id": ["{{id}}"]}"""));
        var envelope = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("id", (string?)envelope["details"]!["failures"]![0]!["field"]);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_Salesforce_batch_with_an_id_holding_the_separator_sends_only_the_others_and_answers_each_id_as_itself()
    {
        // The reproduction: ["003A,003B", "003C"] went out as three ids and the answer was attributed to the wrong ones.
        const string Smuggling = "003Hs00000AbCdEIAZ,003Hs00000AbCdFIAZ";
        const string Plain = "003Hs00000AbCdGIAZ";
        _provider.Load([new RecordedAnswer(200, new Dictionary<string, string>(), $$"""[{"id":"{{Plain}}","success":true,"errors":[]}]""", "application/json")]);
        var salesforce = await _server.CreateAccountAsync("salesforce", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["instance_url"] = "https://example.my.salesforce.com",
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "sf" } },
        });

        using var response = await _server.Client.PostAsync(
            $"/unified/crm/contacts/batch-delete?integrated_account_id={salesforce}&truto_exclude_fields[]=remote_data", Json($$"""{"id": ["{{Smuggling}}", "{{Plain}}"]}"""));
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal($$"""[{"id":"{{Plain}}"}]""", answer["result"]!.ToJsonString());
        var refused = Assert.Single(answer["errors"]!.AsArray())!;
        Assert.Equal((Smuggling, 400, "id"), ((string?)refused["id"], (int)refused["statusCode"]!, (string?)refused["details"]!["failures"]![0]!["field"]));
        Assert.Equal($"/composite/sobjects?ids={Plain}&allOrNone=false", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_repeated_Idempotency_Key_replays_the_first_answer_without_calling_the_provider()
    {
        _provider.Load([NoContent]);
        async Task<HttpResponseMessage> Send(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", "key-1");
            return await _server.Client.SendAsync(request);
        }

        using var first = await Send("""{"id": ["7"]}""");
        using var second = await Send("""{"id": ["7"]}""");
        using var different = await Send("""{"id": ["8"]}""");

        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(_provider.Received);
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
    }

    [Fact]
    public async Task An_answer_that_cannot_be_stored_for_an_Idempotency_Key_still_reaches_the_caller()
    {
        // The key is claimed, then the store refuses the answer, as a full disk would.
        await Sql("CREATE TRIGGER refuse_answers BEFORE UPDATE ON idempotent_answers BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
        _provider.Load(NoContent, 2);
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = Json("""{"id": ["7"]}""") };
            request.Headers.Add("Idempotency-Key", "key-unstored");
            return await _server.Client.SendAsync(request);
        }

        using var response = await Send();
        using var retried = await Send();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"result":[{"id":"7"}]}""", await response.Content.ReadAsStringAsync());
        // Its claim was released: the retry is not blocked as "still running" but reaches the provider.
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, _provider.Received.Count);
    }

    [Fact]
    public async Task An_Idempotency_Key_that_cannot_be_claimed_is_a_503_before_any_provider_call()
    {
        await Sql("CREATE TRIGGER refuse_claims BEFORE INSERT ON idempotent_answers BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
        _provider.Load([NoContent]);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = Json("""{"id": ["7"]}""") };
        request.Headers.Add("Idempotency-Key", "key-unclaimed");

        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(503, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Empty(_provider.Received);
    }

    private async Task Sql(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_server.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task The_idempotency_window_comes_from_configuration()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await TestServer.StartAsync(builder => builder.Services.AddSingleton<TimeProvider>(clock), "--Server:IdempotencyWindow=01:00:00", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        });
        _provider.Load(NoContent, 2);
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={account}") { Content = Json("""{"id": ["7"]}""") };
            request.Headers.Add("Idempotency-Key", "key-window");
            return await server.Client.SendAsync(request);
        }

        using var first = await Send();
        clock.Advance(TimeSpan.FromMinutes(59));
        using var withinWindow = await Send();
        clock.Advance(TimeSpan.FromMinutes(2));
        using var afterWindow = await Send();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("true", withinWindow.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(afterWindow.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.OK, afterWindow.StatusCode);
        Assert.Equal(2, _provider.Received.Count);
    }

    [Fact]
    public async Task Server_errors_and_invalid_bodies_are_not_kept_for_an_Idempotency_Key()
    {
        async Task<HttpResponseMessage> Send(string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", "key-retry");
            return await _server.Client.SendAsync(request);
        }
        // Enough 500s for every attempt of both calls, whatever the retry policy.
        _provider.Load(new RecordedAnswer(500, new Dictionary<string, string>(), "{\"message\":\"down\"}", "application/json"), 10);

        using var invalid = await Send("""{"id": "7"}""");
        using var failed = await Send("""{"id": ["7"]}""");
        var callsAfterFailure = _provider.Received.Count;
        using var retried = await Send("""{"id": ["7"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((int)failed.StatusCode >= 500, $"{failed.StatusCode}");
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.True(_provider.Received.Count > callsAfterFailure);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(408)]
    [InlineData(429)]
    public async Task Answers_worth_retrying_are_not_kept_for_an_Idempotency_Key(int status)
    {
        async Task<HttpResponseMessage> Send()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={_account}") { Content = Json("""{"id": ["7"]}""") };
            request.Headers.Add("Idempotency-Key", "key-" + status);
            return await _server.Client.SendAsync(request);
        }
        // No Retry-After: the runtime returns these at once; enough for every attempt of both calls.
        _provider.Load(new RecordedAnswer(status, new Dictionary<string, string>(), "{\"message\":\"try again\"}", "application/json"), 10);

        using var first = await Send();
        var callsAfterFirst = _provider.Received.Count;
        using var second = await Send();

        Assert.Equal(status, (int)first.StatusCode);
        Assert.False(second.Headers.Contains("Idempotent-Replayed"));
        Assert.True(_provider.Received.Count > callsAfterFirst);
    }

    [Theory]
    [InlineData("DELETE", "/unified/crm/contacts/51", null, 400, "integrated_account_id")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id=not-a-uuid", null, 400, "integrated_account_id")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id=00000000-0000-4000-8000-000000000000", null, 404, "No integrated account")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id={account}&truto_response_format=xml", null, 400, "truto_response_format")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id={account}&truto_ignore_remote_data=maybe", null, 400, "truto_ignore_remote_data")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={account}", "{\"id\": []}", 400, "\"field\":\"id\"")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={account}", "{\"id\": \"1\"}", 400, "id must be an array")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={account}", "{\"id\": [\"1\"], \"remote_data\": [1]}", 400, "remote_data")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={account}", "{\"id\": [\"1\"", 400, "not valid JSON")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={account}", "[1, 2]", 400, "must be a JSON object")]
    [InlineData("GET", "/unified/crm/leads", null, 404, "No route GET /unified/crm/leads")]
    public async Task Bad_input_gets_the_right_status_and_a_Truto_envelope(string method, string path, string? body, int status, string messagePart)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{account}", _account, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(status, (int)response.StatusCode);
        var envelope = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(status, (int)envelope["statusCode"]!);
        Assert.False(string.IsNullOrEmpty((string?)envelope["error"]));
        Assert.Contains(messagePart, text, StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_envelope()
    {
        var ids = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"{i}\""));

        using var response = await _server.Client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={_account}", Json($"{{\"id\": [{ids}]}}"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(413, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!);
    }

    [Fact]
    public async Task An_unreachable_provider_is_a_502_envelope()
    {
        var account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = "http://127.0.0.1:9",
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        });

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={account}");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("could not be reached", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_slower_than_the_configured_timeout_is_a_504_envelope()
    {
        await using var server = await TestServer.StartAsync("--Runtime:ProviderTimeout=00:00:00.300", "--Runtime:MaxAttempts=1", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        });
        _provider.Load([NoContent with { Delay = TimeSpan.FromSeconds(5) }]);

        using var response = await server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={account}");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal(504, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        // Accounts point at the loopback provider (allowed), or at a closed loopback port (allowed, to see a 502).
        _server = await TestServer.StartAsync("--Providers:hubspot:BaseUrl=http://127.0.0.1:9", _provider.AllowArgument(), "--Egress:AllowedBaseUrls:1=http://127.0.0.1:9");
        _account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "hubspot-token" } },
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
