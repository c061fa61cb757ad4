using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary><c>PATCH /integrated-account/{id}</c>: a merge patch of the context, validated like a new account, under the tenant rules.</summary>
public sealed class AccountUpdateTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private ReplayServer _provider = null!;

    [Fact]
    public async Task The_context_is_merged_nested_objects_merge_and_null_removes_a_key()
    {
        var id = await _server.CreateAccountAsync("copper", new JsonObject
        {
            ["api_key"] = "old-key",
            ["user_email"] = "me@example.com",
            ["extra"] = new JsonObject { ["a"] = 1, ["b"] = 2 },
        });

        using var response = await Patch(_server.Client, id, """{"context": {"api_key": "new-key", "user_email": "you@example.com", "extra": {"b": null, "c": 3}}}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(body)!;
        Assert.Equal(id, (string?)answer["id"]);
        Assert.Equal("[redacted]", (string?)answer["context"]!["api_key"]);
        Assert.DoesNotContain("new-key", body, StringComparison.Ordinal);
        Assert.Equal("""{"api_key":"new-key","user_email":"you@example.com","extra":{"a":1,"c":3}}""", await StoredContext(id));
    }

    [Fact]
    public async Task Removing_a_key_the_provider_reads_is_a_400_naming_it_and_the_stored_context_stays()
    {
        var id = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "kept", ["user_email"] = "me@example.com" });

        using var response = await Patch(_server.Client, id, """{"context": {"user_email": null}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context.user_email", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["details"]!["failures"]![0]!["field"]);
        Assert.Equal("""{"api_key":"kept","user_email":"me@example.com"}""", await StoredContext(id));
    }

    [Fact]
    public async Task A_rotated_credential_is_used_by_the_next_unified_call_with_the_same_account_id()
    {
        var provider = _provider;
        var id = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "before" } },
        });
        provider.Load([new RecordedAnswer(204, new Dictionary<string, string>(), null, "application/json")]);

        using var patched = await Patch(_server.Client, id, """{"context": {"oauth": {"token": {"access_token": "after"}}}}""");
        using var deleted = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={id}");

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Bearer after", provider.Received.Single().Headers["authorization"]);
    }

    [Fact]
    public async Task A_merged_context_that_fails_validation_is_a_400_naming_the_key_and_nothing_is_stored()
    {
        var id = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "kept", ["user_email"] = "me@example.com" });

        using var response = await Patch(_server.Client, id, """{"context": {"api_key": "a\r\nX-Injected: 1", "user_email": "other@example.com"}}""");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context.api_key", (string?)JsonNode.Parse(body)!["details"]!["failures"]![0]!["field"]);
        Assert.DoesNotContain("X-Injected", body, StringComparison.Ordinal);
        Assert.Equal("""{"api_key":"kept","user_email":"me@example.com"}""", await StoredContext(id));
    }

    [Fact]
    public async Task Creating_an_account_runs_the_same_validation()
    {
        using var response = await _server.Client.PostAsJsonAsync("/integrated-account", new JsonObject
        {
            ["integration"] = "copper",
            ["context"] = new JsonObject { ["user_email"] = "me@example.com\n" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"field\":\"context.user_email\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await _server.Services.GetRequiredService<ITrutoStore>().ListAccountsAsync(null, null, CancellationToken.None), a => a.Integration == "copper");
    }

    [Theory]
    [InlineData("""{"integration": "hubspot"}""", "integration")]
    [InlineData("""{"context": "x"}""", "context")]
    [InlineData("""{"context": null}""", "context")]
    [InlineData("""{"tenant_id": 7}""", "tenant_id")]
    [InlineData("""[1]""", "body")]
    public async Task A_body_that_is_not_a_context_or_tenant_change_is_a_400_naming_the_field(string body, string field)
    {
        var id = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "kept", ["user_email"] = "me@example.com" });

        using var response = await Patch(_server.Client, id, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["details"]!["failures"]![0]!["field"]);
        Assert.Equal("""{"api_key":"kept","user_email":"me@example.com"}""", await StoredContext(id));
    }

    [Fact]
    public async Task An_unlimited_token_moves_an_account_to_another_tenant_and_a_tenant_token_may_not()
    {
        var moved = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "k", ["user_email"] = "me@example.com" }, tenant: "acme");
        var kept = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "k", ["user_email"] = "me@example.com" }, tenant: "acme");
        var acmeToken = await _server.ClientWithTokenAsync(ApiScopes.AccountsWrite, tenant: "acme");

        using var move = await Patch(_server.Client, moved, """{"tenant_id": "beta"}""");
        using var refused = await Patch(acmeToken, kept, """{"tenant_id": "beta"}""");
        using var cleared = await Patch(acmeToken, kept, """{"tenant_id": null}""");
        using var own = await Patch(acmeToken, kept, """{"tenant_id": "acme", "context": {"user_email": "a@example.com"}}""");
        using var afterMove = await acmeToken.GetAsync($"/integrated-account/{moved}");

        Assert.Equal("beta", (string?)(await move.Content.ReadFromJsonAsync<JsonObject>())!["tenant_id"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterMove.StatusCode);
        Assert.Equal("acme", (await _server.Services.GetRequiredService<ITrutoStore>().FindAccountAsync(kept, CancellationToken.None))!.TenantId);
    }

    [Fact]
    public async Task Concurrent_patches_each_change_only_what_they_name_and_on_one_key_the_later_write_wins()
    {
        PausingStore pausing = null!;
        await using var server = await TestServer.StartAsync(b => PausingStore.Install(b, s => pausing = s));
        var id = await server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "k0", ["user_email"] = "me@example.com" }, tenant: "acme");

        // The first PATCH has read the account and waits before its write; the second runs whole meanwhile.
        var first = Patch(server.Client, id, """{"context": {"api_key": "first", "extra": "from-first"}}""");
        await pausing.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        using var second = await Patch(server.Client, id, """{"tenant_id": "beta", "context": {"api_key": "second", "user_email": "you@example.com"}}""");
        pausing.Release();
        using var firstResponse = await first;

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (firstResponse.StatusCode, second.StatusCode));
        var stored = (await server.Services.GetRequiredService<ITrutoStore>().FindAccountAsync(id, CancellationToken.None))!;
        // The first named no tenant, so the second's move stays; both keep their keys; api_key, named by both, is the later write's.
        Assert.Equal("beta", stored.TenantId);
        Assert.Equal("""{"api_key":"first","user_email":"you@example.com","extra":"from-first"}""", stored.Context);
    }

    [Fact]
    public async Task A_tenant_tokens_patch_of_an_account_moved_out_of_its_tenant_meanwhile_is_the_unknown_id_404_and_writes_nothing()
    {
        PausingStore pausing = null!;
        await using var server = await TestServer.StartAsync(b => PausingStore.Install(b, s => pausing = s));
        var id = await server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "k0", ["user_email"] = "me@example.com" }, tenant: "acme");
        var acmeToken = await server.ClientWithTokenAsync(ApiScopes.AccountsWrite, tenant: "acme");

        var late = Patch(acmeToken, id, """{"context": {"api_key": "from-acme"}}""");
        await pausing.Paused.WaitAsync(TimeSpan.FromSeconds(30));
        using var move = await Patch(server.Client, id, """{"tenant_id": "beta"}""");
        pausing.Release();
        using var refused = await late;
        using var unknown = await Patch(acmeToken, "00000000-0000-4000-8000-000000000000", """{"context": {}}""");

        Assert.Equal(HttpStatusCode.OK, move.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(
            (await unknown.Content.ReadAsStringAsync()).Replace("00000000-0000-4000-8000-000000000000", id, StringComparison.Ordinal),
            await refused.Content.ReadAsStringAsync());
        var stored = (await server.Services.GetRequiredService<ITrutoStore>().FindAccountAsync(id, CancellationToken.None))!;
        Assert.Equal(("beta", """{"api_key":"k0","user_email":"me@example.com"}"""), (stored.TenantId, stored.Context));
    }

    [Fact]
    public async Task An_unknown_id_is_a_404()
    {
        using var response = await Patch(_server.Client, "00000000-0000-4000-8000-000000000000", """{"context": {}}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static Task<HttpResponseMessage> Patch(HttpClient client, string id, string body)
        => client.PatchAsync($"/integrated-account/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

    private async Task<string> StoredContext(string id)
        => (await _server.Services.GetRequiredService<ITrutoStore>().FindAccountAsync(id, CancellationToken.None))!.Context;

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
}
