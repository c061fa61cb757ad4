using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.Providers;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>Every provider through the runtime against its simulator over loopback HTTP.</summary>
public sealed class SandboxProviderTests : IAsyncLifetime
{
    private static readonly string[] SecretKeys = ["api_key", "password"];

    private ProviderSandbox _sandbox = null!;
    private ServiceProvider _services = null!;

    public static TheoryData<string> Providers() => [.. ProviderSandbox.ProviderNames];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Delete_removes_the_contact_and_answers_it_unified(string provider)
    {
        // The request the provider documents (the simulator states it), e.g. "DELETE /contacts/{id}".
        var (method, path) = _sandbox[provider].DeleteRequest.Split(' ') is [var m, var p] ? (m, p) : throw new InvalidDataException(provider);
        var id = _sandbox[provider].Contacts.Seed(1)[0];

        await using var result = await Client.DeleteAsync(Account(provider), id);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(id, result.ReadContact().Id);
        Assert.False(_sandbox[provider].Contacts.Contains(id));
        var request = _sandbox[provider].Requests.Single();
        Assert.Equal(method, request.Method);
        Assert.Equal(path.Replace("{id}", Uri.EscapeDataString(id), StringComparison.Ordinal), request.Path);
    }

    [Fact]
    public async Task Nutshell_delete_with_a_body_maps_the_whole_contact()
    {
        var nutshell = Assert.IsType<NutshellSimulator>(_sandbox["nutshell"]);
        nutshell.DeleteReturnsBody = true;
        var id = nutshell.Contacts.Seed(1)[0];

        await using var result = await Client.DeleteAsync(Account("nutshell"), id);
        var contact = result.ReadContact();

        Assert.Equal("CEO", contact.Title);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1508393703), contact.CreatedAt);
        Assert.Equal("Nutshell", contact.Account!.Name);
        Assert.Equal("+17341234567", contact.PhoneNumbers![0].Number);
        Assert.Equal("Ann Arbor", contact.Addresses![0].City);
        Assert.Equal("vip", contact.Tags![0].Name);
        Assert.NotNull(contact.RemoteData);
    }

    [Fact]
    public async Task Dynamics365_states_the_OData_version_it_speaks_on_every_call()
    {
        var dynamics = _sandbox["dynamics365"];
        var id = dynamics.Contacts.Seed(1)[0];

        await using var result = await Client.DeleteAsync(Account("dynamics365"), id);

        Assert.Equal(200, result.StatusCode);
        var headers = dynamics.Requests.Single().Headers;
        Assert.Equal(("4.0", "4.0", "application/json"), (headers["odata-maxversion"], headers["odata-version"], headers["accept"]));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Deleting_an_unknown_id_reports_the_providers_not_found(string provider)
    {
        var unknown = _sandbox[provider].UnknownId;

        await using var result = await Client.DeleteAsync(Account(provider), unknown);

        if (_sandbox[provider].DeletesUnknownIds)
        {
            // HubSpot and Agile CRM answer 204 for ids they do not have: it is a success there.
            Assert.Equal(200, result.StatusCode);
            return;
        }
        Assert.Equal(404, result.StatusCode);
        Assert.True(result.Error!.IsRemoteError);
        Assert.False(string.IsNullOrWhiteSpace(result.Error.Message));
        Assert.NotNull(result.Error.RawResponse);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Wrong_credentials_are_the_providers_refusal(string provider)
    {
        var context = _sandbox[provider].AccountContext(_sandbox.RootUrl);
        foreach (var key in SecretKeys.Where(context.ContainsKey))
        {
            context[key] = "wrong";
        }
        if (context["oauth"] is JsonObject)
        {
            context["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "wrong" } };
        }

        await using var result = await Client.DeleteAsync(new IntegratedAccount("a", provider, new AccountContext(JsonSerializer.SerializeToElement(context))), WellFormedId(provider));

        Assert.Equal(_sandbox[provider].UnauthorizedStatus, result.StatusCode);
        Assert.True(result.Error!.IsRemoteError);
        Assert.DoesNotContain("wrong", result.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_providers_rate_limit_signal_is_a_429(string provider)
    {
        _sandbox[provider].Faults.RateLimitNext(requests: 3);

        await using var result = await Client.DeleteAsync(Account(provider), WellFormedId(provider));

        Assert.Equal(429, result.StatusCode);
        Assert.True(result.Error!.IsRemoteError);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_provider_error_body_keeps_the_providers_status_and_body(string provider)
    {
        _sandbox[provider].Faults.ServerErrorNext(requests: 1, status: 500);

        await using var result = await Client.DeleteAsync(Account(provider), WellFormedId(provider));

        Assert.Equal(500, result.StatusCode);
        Assert.True(result.Error!.IsRemoteError);
        Assert.NotNull(result.Error.RawResponse);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_malformed_provider_body_is_a_502(string provider)
    {
        _sandbox[provider].Faults.MalformedNext();

        await using var result = await Client.DeleteAsync(Account(provider), WellFormedId(provider));

        Assert.Equal(502, result.StatusCode);
        Assert.Equal(JsonValueKind.String, result.Error!.RawResponse!.Value.ValueKind);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Batch_delete_answers_every_id_once_in_order_across_chunks(string provider)
    {
        var info = Adapter(provider).Info.Find("contacts", "batch_delete")!;
        var count = info.Strategy == BatchStrategy.Native ? info.MaxIds + 5 : 6;
        var ids = _sandbox[provider].Contacts.Seed(count);

        await using var result = await Client.BatchDeleteAsync(Account(provider), [.. ids, ids[0]]);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(ids, result.ReadContacts().Select(c => c.Id));
        Assert.Equal(0, _sandbox[provider].Contacts.Count);
        var expectedCalls = info.Strategy == BatchStrategy.Native ? 2 : count;
        Assert.Equal(expectedCalls, _sandbox[provider].Requests.Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Batch_delete_with_an_unknown_id_reports_it_in_errors(string provider)
    {
        var ids = _sandbox[provider].Contacts.Seed(2);
        var unknown = _sandbox[provider].UnknownId;

        await using var result = await Client.BatchDeleteAsync(Account(provider), [ids[0], unknown, ids[1]]);
        using var body = result.ParseJson();

        Assert.Equal(200, result.StatusCode);
        var deleted = body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        if (_sandbox[provider].DeletesUnknownIds)
        {
            // HubSpot's batch archive reports no per-id outcome, and a fan-out's 204 for an unknown id is a
            // success: every id counts as deleted.
            Assert.Equal([ids[0], unknown, ids[1]], deleted);
            return;
        }
        Assert.Equal([ids[0], ids[1]], deleted);
        var error = body.RootElement.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal(unknown, error.GetProperty("id").GetString());
        Assert.Equal(404, error.GetProperty("statusCode").GetInt32());
        Assert.True(error.GetProperty("truto_is_remote_error").GetBoolean());
    }

    [Fact]
    public async Task The_Dataverse_simulator_stops_at_the_first_failing_part_without_continue_on_error()
    {
        var dataverse = _sandbox["dynamics365"];
        var ids = dataverse.Contacts.Seed(2);

        var (status, answer) = await DataverseBatchAsync(preferContinue: false, [ids[0], dataverse.UnknownId, ids[1]]);

        // Dataverse's documented default: the batch stops at the first error; the last id is never run.
        Assert.Equal(200, status);
        Assert.Equal(["HTTP/1.1 204 No Content", "HTTP/1.1 404 Not Found"], StatusLines(answer));
        Assert.Contains("Content-ID: 2", answer, StringComparison.Ordinal);
        Assert.True(dataverse.Contacts.Contains(ids[1]));
    }

    [Fact]
    public async Task The_Dataverse_simulator_answers_every_part_with_continue_on_error()
    {
        var dataverse = _sandbox["dynamics365"];
        var ids = dataverse.Contacts.Seed(2);

        var (_, answer) = await DataverseBatchAsync(preferContinue: true, [ids[0], dataverse.UnknownId, ids[1]]);

        Assert.Equal(["HTTP/1.1 204 No Content", "HTTP/1.1 404 Not Found", "HTTP/1.1 204 No Content"], StatusLines(answer));
        Assert.Equal(0, dataverse.Contacts.Ids.Count(ids.Contains));
    }

    [Theory]
    [InlineData("application/json", "{\"requests\": []}")]
    [InlineData("multipart/mixed; boundary=b1", "--b1\r\nContent-Type: application/http\r\n\r\nnot a request line\r\n--b1--\r\n")]
    [InlineData("multipart/mixed; boundary=b1", "--b1\r\nContent-Type: application/json\r\n\r\n{}\r\n--b1--\r\n")]
    [InlineData("multipart/mixed; boundary=b1", "--b1\r\nContent-Type: application/http\r\n\r\nDELETE /contacts(1) HTTP/1.1\r\n")]
    public async Task The_Dataverse_simulator_refuses_a_malformed_batch_body(string contentType, string body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, _sandbox["dynamics365"].BaseUrl(_sandbox.RootUrl) + "/$batch")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = new("Bearer", "sandbox-dynamics365-token");

        using var response = await http.SendAsync(request);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("0x80048d19", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]!.GetValue<string>());
    }

    private async Task<(int Status, string Answer)> DataverseBatchAsync(bool preferContinue, IReadOnlyList<string> ids)
    {
        using var http = new HttpClient();
        using var content = new MultipartContent("mixed", "batch_test");
        for (var i = 0; i < ids.Count; i++)
        {
            var part = new StringContent($"DELETE /sandbox/dynamics365/contacts({ids[i]}) HTTP/1.1\r\n\r\n");
            part.Headers.ContentType = new("application/http");
            part.Headers.Add("Content-ID", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            content.Add(part);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, _sandbox["dynamics365"].BaseUrl(_sandbox.RootUrl) + "/$batch") { Content = content };
        request.Headers.Authorization = new("Bearer", "sandbox-dynamics365-token");
        if (preferContinue)
        {
            request.Headers.Add("Prefer", "odata.continue-on-error");
        }
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static List<string> StatusLines(string answer)
        => answer.Split("\r\n").Where(l => l.StartsWith("HTTP/1.1 ", StringComparison.Ordinal)).ToList();

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_providers_rate_limit_headers_are_normalised(string provider)
    {
        var simulator = _sandbox[provider];
        var id = simulator.Contacts.Seed(1)[0];

        await using var result = await Client.DeleteAsync(Account(provider), id);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(
            simulator.AnnouncedRateLimit?.ToString(CultureInfo.InvariantCulture),
            result.Headers.Where(h => h.Key == "ratelimit-limit").Select(h => h.Value).SingleOrDefault());
        Assert.Equal(simulator.AnnouncesRemaining, result.Headers.Any(h => h.Key == "ratelimit-remaining"));
    }

    [Fact]
    public async Task A_rate_limit_with_a_short_Retry_After_is_waited_out()
    {
        var id = _sandbox["monday"].Contacts.Seed(1)[0];
        _sandbox["monday"].Faults.RateLimitNext(requests: 1, retryAfterSeconds: 1);

        await using var result = await Client.DeleteAsync(Account("monday"), id);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal(2, _sandbox["monday"].Requests.Count);
    }

    [Fact]
    public async Task A_provider_slower_than_the_timeout_is_a_504()
    {
        _sandbox["capsule"].Faults.DelayNext(1, TimeSpan.FromSeconds(5));
        await using var services = new ServiceCollection().AddTrutoMappings(o =>
        {
            o.MaxAttempts = 1;
            o.Egress.AllowedBaseUrls.Add(_sandbox.RootUrl.GetLeftPart(UriPartial.Authority));
            o.ProviderTimeout = TimeSpan.FromMilliseconds(300);
        }).BuildServiceProvider();

        await using var result = await services.GetRequiredService<UnifiedContactsClient>().DeleteAsync(Account("capsule"), "1");

        Assert.Equal(504, result.StatusCode);
    }

    private UnifiedContactsClient Client => _services.GetRequiredService<UnifiedContactsClient>();

    /// <summary>An id of the provider's form (its YAML's id_pattern), for calls a fault answers before any id is looked at.</summary>
    private string WellFormedId(string provider) => _sandbox[provider].Contacts.Seed(1)[0];

    private ProviderAdapter Adapter(string provider) => _services.GetRequiredService<ProviderCatalog>().Find(provider)!;

    private IntegratedAccount Account(string provider)
        => new("acc-" + provider, provider, new AccountContext(JsonSerializer.SerializeToElement(_sandbox[provider].AccountContext(_sandbox.RootUrl))));

    public async Task InitializeAsync()
    {
        _sandbox = await ProviderSandbox.StartAsync();
        _services = new ServiceCollection().AddTrutoMappings(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
            // The simulators listen on loopback: only an allowed origin may be called there.
            o.Egress.AllowedBaseUrls.Add(_sandbox.RootUrl.GetLeftPart(UriPartial.Authority));
        }).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }
}
