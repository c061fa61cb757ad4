using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// Tokens with scopes, a tenant and an environment, over real HTTP: a missing scope is a 403
/// naming it; another tenant's or environment's account is a 404 exactly like an unknown id.
/// </summary>
public sealed class TenancyTests : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private TestServer _server = null!;
    private ReplayServer _provider = null!;
    private string _acme = "";
    private string _beta = "";

    [Theory]
    [InlineData("POST", "/integrated-account", """{"integration": "hubspot"}""", "accounts:write")]
    [InlineData("GET", "/integrated-account", null, "accounts:read")]
    [InlineData("GET", "/integrated-account/{acme}", null, "accounts:read")]
    [InlineData("DELETE", "/integrated-account/{acme}", null, "accounts:write")]
    [InlineData("PATCH", "/integrated-account/{acme}", """{"context": {"x": "1"}}""", "accounts:write")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id={acme}", null, "unified")]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={acme}", """{"id": ["51"]}""", "unified")]
    public async Task Each_endpoint_refuses_a_token_without_its_scope_with_a_403_naming_it(string method, string path, string? body, string scope)
    {
        var (others, _) = ApiScopeNames.Parse(ApiScopeNames.All.Where(s => s != scope && !(scope == "accounts:read" && s == "accounts:write")));
        var client = await _server.ClientWithTokenAsync(others);

        using var response = await client.SendAsync(Request(method, path, body));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal($$"""{"statusCode":403,"error":"Forbidden","message":"This API token lacks the scope '{{scope}}'."}""", await response.Content.ReadAsStringAsync());
        Assert.Empty(_provider.Received);
        using var stillThere = await _server.Client.GetAsync($"/integrated-account/{_acme}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task Accounts_write_includes_accounts_read()
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.AccountsWrite);

        using var list = await client.GetAsync("/integrated-account");
        using var read = await client.GetAsync($"/integrated-account/{_acme}");

        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Meta_endpoints_need_a_valid_token_but_no_scope()
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.None);

        using var byIntegration = await client.GetAsync("/unified/crm/contacts/hubspot/meta/delete");
        using var byAccount = await client.GetAsync($"/unified/crm/contacts/meta/delete?integrated_account_id={_acme}");

        Assert.Equal(HttpStatusCode.OK, byIntegration.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byAccount.StatusCode);
    }

    [Fact]
    public async Task A_tenant_token_lists_only_its_tenants_accounts()
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.All, tenant: "acme");

        var list = (await client.GetFromJsonAsync<JsonObject>("/integrated-account"))!;
        var everything = (await _server.Client.GetFromJsonAsync<JsonObject>("/integrated-account"))!;

        Assert.Equal([_acme], list["result"]!.AsArray().Select(a => (string)a!["id"]!));
        Assert.Equal([_acme, _beta], everything["result"]!.AsArray().Select(a => (string)a!["id"]!));
    }

    [Theory]
    [InlineData("GET", "/integrated-account/{id}", null)]
    [InlineData("DELETE", "/integrated-account/{id}", null)]
    [InlineData("PATCH", "/integrated-account/{id}", """{"context": {"x": "1"}}""")]
    [InlineData("DELETE", "/unified/crm/contacts/51?integrated_account_id={id}", null)]
    [InlineData("POST", "/unified/crm/contacts/batch-delete?integrated_account_id={id}", """{"id": ["51"]}""")]
    [InlineData("GET", "/unified/crm/contacts/meta/delete?integrated_account_id={id}", null)]
    public async Task Another_tenants_account_is_a_404_exactly_like_an_unknown_id(string method, string path, string? body)
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.All, tenant: "acme");
        const string Unknown = "00000000-0000-4000-8000-000000000000";

        using var other = await client.SendAsync(Request(method, path.Replace("{id}", _beta, StringComparison.Ordinal), body));
        using var unknown = await client.SendAsync(Request(method, path.Replace("{id}", Unknown, StringComparison.Ordinal), body));

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync()).Replace(Unknown, "{id}", StringComparison.Ordinal),
            (await other.Content.ReadAsStringAsync()).Replace(_beta, "{id}", StringComparison.Ordinal));
        Assert.Empty(_provider.Received);
        using var stillThere = await _server.Client.GetAsync($"/integrated-account/{_beta}");
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    [Fact]
    public async Task A_tenant_token_uses_its_own_tenants_account()
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.Unified, tenant: "acme");
        _provider.Load([NoContent]);

        using var response = await client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={_acme}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_provider.Received);
    }

    [Fact]
    public async Task An_account_created_with_a_tenant_token_gets_its_tenant_and_another_tenant_is_a_403()
    {
        var client = await _server.ClientWithTokenAsync(ApiScopes.AccountsWrite, tenant: "acme");

        var implicitTenant = await _server.CreateAccountAsync("hubspot", TestServer.HubSpotContext(), tenant: null, client: client);
        var sameTenant = await _server.CreateAccountAsync("hubspot", TestServer.HubSpotContext(), tenant: "acme", client: client);
        using var otherTenant = await client.PostAsJsonAsync("/integrated-account", new JsonObject { ["integration"] = "hubspot", ["tenant_id"] = "beta", ["context"] = TestServer.HubSpotContext() });

        Assert.Equal("acme", (string?)(await _server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{implicitTenant}"))!["tenant_id"]);
        Assert.Equal("acme", (string?)(await _server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{sameTenant}"))!["tenant_id"]);
        Assert.Equal(HttpStatusCode.Forbidden, otherTenant.StatusCode);
        Assert.Contains("tenant 'beta'", await otherTenant.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, (await _server.Client.GetFromJsonAsync<JsonObject>("/integrated-account"))!["result"]!.AsArray().Count(a => (string?)a!["tenant_id"] == "acme"));
    }

    [Fact]
    public async Task Environments_do_not_see_each_others_accounts()
    {
        var staging = await _server.ClientWithTokenAsync(ApiScopes.All, environment: "staging");
        var stagingAccount = await _server.CreateAccountAsync("hubspot", TestServer.HubSpotContext(_provider.Url), client: staging);

        var stagingList = (await staging.GetFromJsonAsync<JsonObject>("/integrated-account"))!;
        var defaultList = (await _server.Client.GetFromJsonAsync<JsonObject>("/integrated-account"))!;
        using var stagingReadsDefault = await staging.GetAsync($"/integrated-account/{_acme}");
        using var defaultReadsStaging = await _server.Client.GetAsync($"/integrated-account/{stagingAccount}");
        using var defaultUsesStaging = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={stagingAccount}");

        Assert.Equal([stagingAccount], stagingList["result"]!.AsArray().Select(a => (string)a!["id"]!));
        Assert.DoesNotContain(stagingAccount, defaultList.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, stagingReadsDefault.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, defaultReadsStaging.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, defaultUsesStaging.StatusCode);
        Assert.Empty(_provider.Received);
    }

    /// <summary>A request; <c>{acme}</c> in the path stands for the acme tenant's account.</summary>
    private HttpRequestMessage Request(string method, string path, string? body) => new(new HttpMethod(method), path.Replace("{acme}", _acme, StringComparison.Ordinal))
    {
        Content = body is null ? null : new StringContent(body, Encoding.UTF8, "application/json"),
    };

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync(_provider.AllowArgument());
        var context = new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        };
        _acme = await _server.CreateAccountAsync("hubspot", context, tenant: "acme");
        _beta = await _server.CreateAccountAsync("hubspot", context.DeepClone().AsObject(), tenant: "beta");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
