using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests;

/// <summary>API tokens (missing, wrong, revoked, hashed at rest) and integrated accounts (create, read redacted, list, delete).</summary>
public sealed class TokenAndAccountTests : IAsyncLifetime
{
    private TestServer _server = null!;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Calls_without_a_valid_token_are_a_401_envelope(string? authorization)
    {
        using var client = new HttpClient { BaseAddress = _server.Url };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.GetAsync("/integrated-account");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(401, (int)body!["statusCode"]!);
        Assert.Equal("Unauthorized", (string?)body["error"]);
    }

    [Fact]
    public async Task A_created_token_works_is_stored_only_as_a_hash_and_stops_working_when_revoked()
    {
        var tokens = _server.Services.GetRequiredService<ApiTokens>();
        var (id, token) = await tokens.CreateAsync("ci", CancellationToken.None);
        using var client = new HttpClient { BaseAddress = _server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var before = await client.GetAsync("/integrated-account");
        var stored = await ReadColumn("SELECT hash FROM api_tokens WHERE id = $id", id);
        await _server.Services.GetRequiredService<ITrutoStore>().RevokeTokenAsync(id, DateTimeOffset.UtcNow, CancellationToken.None);
        using var after = await client.GetAsync("/integrated-account");

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(ApiTokens.Hash(token), stored);
        Assert.DoesNotContain(token, stored, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Creating_an_account_answers_201_in_the_Truto_admin_shape()
    {
        using var response = await _server.Client.PostAsJsonAsync("/integrated-account", new JsonObject
        {
            ["integration"] = "hubspot",
            ["tenant_id"] = "acme",
            ["context"] = new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "very-secret" } } },
        });
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(Guid.TryParse((string?)body["id"], out _));
        Assert.Equal("hubspot", (string?)body["integration"]);
        Assert.Equal("acme", (string?)body["tenant_id"]);
        Assert.Equal("active", (string?)body["status"]);
        Assert.True(DateTimeOffset.TryParse((string?)body["created_at"], out _));
        Assert.DoesNotContain("very-secret", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_an_account_redacts_secrets_and_the_database_holds_them_encrypted()
    {
        var id = await _server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "copper-secret-key", ["user_email"] = "me@example.com" });

        var one = (await _server.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
        var all = (await _server.Client.GetFromJsonAsync<JsonObject>("/integrated-account"))!;
        var atRest = await ReadColumn("SELECT context FROM integrated_accounts WHERE id = $id", id);

        Assert.Equal("[redacted]", (string?)one["context"]!["api_key"]);
        Assert.Equal("me@example.com", (string?)one["context"]!["user_email"]);
        Assert.Contains(all["result"]!.AsArray(), a => (string?)a!["id"] == id);
        Assert.DoesNotContain("copper-secret-key", all.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("copper-secret-key", atRest, StringComparison.Ordinal);
        Assert.DoesNotContain("me@example.com", atRest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_account_removes_it()
    {
        var id = await _server.CreateAccountAsync("hubspot", new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } } });

        using var deleted = await _server.Client.DeleteAsync($"/integrated-account/{id}");
        using var read = await _server.Client.GetAsync($"/integrated-account/{id}");
        using var again = await _server.Client.DeleteAsync($"/integrated-account/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task An_unknown_integration_is_a_400_listing_the_known_ones()
    {
        using var response = await _server.Client.PostAsJsonAsync("/integrated-account", new JsonObject { ["integration"] = "hubspott", ["context"] = new JsonObject() });
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown integration 'hubspott'", text, StringComparison.Ordinal);
        // The list is the catalogue's, so adding a provider changes no line here.
        var known = string.Join(", ", _server.Services.GetRequiredService<Truto.Mappings.Adapters.ProviderCatalog>().Names);
        Assert.Contains($"known integrations: {known}.", text, StringComparison.Ordinal);
    }

    private async Task<string> ReadColumn(string sql, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={_server.DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
