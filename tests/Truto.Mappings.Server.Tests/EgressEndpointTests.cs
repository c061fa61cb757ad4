using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// Issue 9's egress findings over real HTTP: where an account may point, checked when it is created
/// (against the declarations in the providers' YAML) and again at call time (an account
/// stored before the rules existed), with a 400 naming the key; what account reads show; the keys
/// the meta endpoint lists.
/// </summary>
public sealed class EgressEndpointTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private TestServer _server = null!;
    private ReplayServer _provider = null!;

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:6379/_INFO")]
    [InlineData("https://api.hubapi.com/x#")]
    [InlineData("https://api.hubapi.com/x?")]
    [InlineData("https://user:secret-pw@api.hubapi.com")]
    [InlineData("https://evil.example")]
    [InlineData("http://127.0.0.1:9103")]
    public async Task An_account_base_url_outside_the_egress_policy_is_refused_at_creation_naming_context_base_url(string baseUrl)
    {
        using var response = await Create("hubspot", new JsonObject { ["base_url"] = baseUrl, ["oauth"] = Token("t") });

        await AssertBadRequest(response, "context.base_url");
        Assert.DoesNotContain("secret-pw", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_context_value_with_a_line_break_is_refused_at_creation_naming_its_key()
    {
        using var response = await Create("hubspot", new JsonObject { ["base_url"] = _provider.Url.ToString(), ["oauth"] = Token("t\r\nX-Injected: 1") });

        await AssertBadRequest(response, "context.oauth.token.access_token");
    }

    [Fact]
    public async Task An_account_stored_before_the_rules_is_refused_again_at_call_time_and_nothing_is_sent()
    {
        var id = await Store("hubspot", """{"base_url": "http://169.254.169.254/latest", "oauth": {"token": {"access_token": "t"}}}""");

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");

        await AssertBadRequest(response, "context.base_url");
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_stored_header_injection_is_refused_at_call_time_naming_the_key()
    {
        var id = await Store("hubspot", new JsonObject { ["base_url"] = _provider.Url.ToString(), ["oauth"] = Token("t\r\nX-Injected: 1") }.ToJsonString());

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");

        await AssertBadRequest(response, "context.oauth.token.access_token");
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task An_allowed_origin_may_be_http_on_loopback_and_is_called()
    {
        _provider.Load([NoContent]);
        var id = await _server.CreateAccountAsync("hubspot", new JsonObject { ["base_url"] = _provider.Url + "api", ["oauth"] = Token("t") });

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/api/crm/v3/objects/contacts/51", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_pipedrive_company_domain_that_would_redirect_the_call_is_refused_at_creation()
    {
        using var response = await Create("pipedrive", new JsonObject { ["company_domain"] = "127.0.0.1:9103/x#", ["api_key"] = "k" });

        await AssertBadRequest(response, "context.company_domain");
    }

    [Fact]
    public async Task A_pipeliner_region_that_would_redirect_the_call_is_refused_at_creation()
    {
        using var response = await Create("pipeliner", new JsonObject
        {
            ["region"] = "127.0.0.1:9103/y?",
            ["space_id"] = "nv3_Acme",
            ["username"] = "u",
            ["password"] = "p",
        });

        await AssertBadRequest(response, "context.region");
    }

    [Fact]
    public async Task A_stored_pipedrive_company_domain_that_would_redirect_the_call_is_refused_at_call_time()
    {
        var id = await Store("pipedrive", """{"company_domain": "127.0.0.1:9103/x#", "api_key": "k"}""");

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");

        // Calls run through the generated operation: the key named is the one its YAML declares
        // (context.company_domain), or base_url while the YAML declares no URL-forming key.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_provider.Received);
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://acme.my.salesforce.com.evil.example")]
    [InlineData("http://acme.my.salesforce.com")]
    public async Task A_salesforce_instance_url_outside_its_declared_hosts_is_refused_at_creation(string instanceUrl)
    {
        using var response = await Create("salesforce", new JsonObject { ["instance_url"] = instanceUrl, ["oauth"] = Token("t") });

        await AssertBadRequest(response, "context.instance_url");
    }

    [Fact]
    public async Task A_salesforce_instance_url_on_an_allowed_origin_is_accepted_and_called()
    {
        _provider.Load([NoContent]);
        var id = await _server.CreateAccountAsync("salesforce", new JsonObject { ["instance_url"] = _provider.Origin, ["oauth"] = Token("t") });

        using var response = await _server.Client.DeleteAsync($"/unified/crm/contacts/003A00000000001AAA?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/services/data/v62.0/sobjects/Contact/003A00000000001AAA", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task Account_reads_show_declared_non_secret_keys_only_and_urls_without_user_info()
    {
        var id = await Store("salesforce", """
            {"instance_url": "https://admin:hunter2@acme.my.salesforce.com", "oauth": {"token": {"access_token": "at-secret", "refresh_token": "rt-secret"}},
             "nickname": "undeclared-value", "extra": {"nested": "nested-value"}}
            """);

        var one = (await _server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        var list = await _server.Client.GetStringAsync("/integrated-account");
        using var deleted = await _server.Client.DeleteAsync($"/integrated-account/{id}");
        var deletedBody = await deleted.Content.ReadAsStringAsync();

        var context = one["context"]!;
        Assert.Equal("https://acme.my.salesforce.com/", (string?)context["instance_url"]);
        // oauth.token.expires_at is declared and not secret, so the object is shown with its secrets redacted.
        Assert.Equal("[redacted]", (string?)context["oauth"]!["token"]!["access_token"]);
        Assert.Equal("[redacted]", (string?)context["oauth"]!["token"]!["refresh_token"]);
        Assert.Equal("[redacted]", (string?)context["nickname"]);
        Assert.Equal("[redacted]", (string?)context["extra"]);
        foreach (var text in new[] { one.ToJsonString(), list, deletedBody })
        {
            foreach (var secret in new[] { "hunter2", "at-secret", "rt-secret", "undeclared-value", "nested-value" })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task The_meta_endpoint_lists_the_providers_declared_keys()
    {
        var meta = (await _server.Client.GetFromJsonAsync<JsonObject>("/unified/crm/contacts/pipedrive/meta/delete"))!;
        var keys = meta["context"]!.AsArray().Select(k => k!.AsObject()).ToDictionary(k => (string)k["name"]!);

        Assert.Equal(("string", false, "dns_label"), ((string?)keys["company_domain"]["type"], (bool)keys["company_domain"]["secret"]!, (string?)keys["company_domain"]["shape"]!["kind"]));
        Assert.True((bool)keys["api_key"]["secret"]!);
        Assert.Null(keys["api_key"]["shape"]);
        Assert.All(keys.Values, k =>
        {
            Assert.False(string.IsNullOrEmpty((string?)k["label"]));
            Assert.NotNull(k["required"]);
            Assert.True(k.ContainsKey("help"));
        });
    }

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync(_provider.AllowArgument());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private static JsonObject Token(string accessToken) => new() { ["token"] = new JsonObject { ["access_token"] = accessToken } };

    private Task<HttpResponseMessage> Create(string integration, JsonObject context)
        => _server.Client.PostAsJsonAsync("/integrated-account", new JsonObject { ["integration"] = integration, ["context"] = context });

    /// <summary>Stores an account the way an older server did: without any check.</summary>
    private async Task<string> Store(string integration, string context)
    {
        var id = Guid.NewGuid().ToString();
        await _server.Services.GetRequiredService<ITrutoStore>().AddAccountAsync(new StoredAccount(id, integration, null, "active", context, DateTimeOffset.UtcNow), CancellationToken.None);
        return id;
    }

    private static async Task AssertBadRequest(HttpResponseMessage response, string field)
    {
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string?)body["details"]!["failures"]![0]!["field"]);
    }
}
