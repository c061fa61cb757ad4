using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>A database written by the first release (no environments, scopes or tenants on tokens) is migrated at start and keeps working.</summary>
public sealed class DatabaseMigrationTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-migration-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task A_first_release_database_starts_and_its_token_and_account_work_as_before()
    {
        await using var provider = await ReplayServer.StartAsync();
        var keys = Path.Combine(_directory, "keys");
        var database = Path.Combine(_directory, "truto.db");
        Directory.CreateDirectory(_directory);
        string encrypted;
        // The first release's server encrypted contexts with the same key ring and purpose.
        await using (var keyOwner = await TestServer.StartAsync($"--DataProtection:KeysFolder={keys}"))
        {
            encrypted = keyOwner.Services.GetRequiredService<ContextProtector>().Protect(
                new JsonObject { ["base_url"] = provider.Url.ToString(), ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } } }.ToJsonString());
        }
        const string Account = "11111111-1111-4111-8111-111111111111";
        await using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE api_tokens (id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, revoked_at TEXT NULL);
                CREATE TABLE integrated_accounts (id TEXT PRIMARY KEY, integration TEXT NOT NULL, tenant_id TEXT NULL, status TEXT NOT NULL, context TEXT NOT NULL, created_at TEXT NOT NULL);
                CREATE TABLE idempotent_answers (key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, status INTEGER NOT NULL, content_type TEXT NOT NULL, headers TEXT NOT NULL, body BLOB NOT NULL, created_at TEXT NOT NULL);
                PRAGMA user_version = 1;
                INSERT INTO api_tokens (id, name, hash, created_at) VALUES ('t1', 'old', $hash, '2025-01-01T00:00:00.000Z');
                INSERT INTO integrated_accounts (id, integration, tenant_id, status, context, created_at) VALUES ($account, 'hubspot', 'acme', 'active', $context, '2025-01-01T00:00:00.000Z');
                """;
            command.Parameters.AddWithValue("$hash", ApiTokens.Hash("old-token"));
            command.Parameters.AddWithValue("$account", Account);
            command.Parameters.AddWithValue("$context", encrypted);
            await command.ExecuteNonQueryAsync();
        }
        provider.Load([new RecordedAnswer(204, new Dictionary<string, string>(), null, "application/json")]);

        await using var server = await TestServer.StartAsync($"--ConnectionStrings:Truto=Data Source={database};Pooling=False", $"--DataProtection:KeysFolder={keys}", provider.AllowArgument());
        using var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "old-token");
        var list = (await client.GetFromJsonAsync<JsonObject>("/integrated-account"))!;
        using var deleted = await client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={Account}");
        using var created = await client.PostAsJsonAsync("/integrated-account", new JsonObject { ["integration"] = "hubspot", ["tenant_id"] = "beta", ["context"] = TestServer.HubSpotContext() });

        Assert.Equal([Account], list["result"]!.AsArray().Select(a => (string)a!["id"]!));
        Assert.Equal("acme", (string?)list["result"]![0]!["tenant_id"]);
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Bearer t", provider.Received.Single().Headers["authorization"]);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in temp when still held; nothing of value in it.
        }
    }
}
