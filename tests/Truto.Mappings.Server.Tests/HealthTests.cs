using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// <c>/healthz</c> (the process is up) and <c>/readyz</c> (the store answers and the key ring works),
/// both without a token, on SQLite; PostgreSQL's case is <see cref="PostgresReadinessTests"/>.
/// </summary>
public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_and_readyz_answer_without_a_token_when_the_store_and_the_key_ring_work()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Url };

        using var health = await anonymous.GetAsync("/healthz");
        using var ready = await anonymous.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("""{"status":"ready"}""", await ready.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readyz_is_a_503_naming_the_store_when_the_SQLite_file_is_gone()
    {
        await using var server = await TestServer.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        foreach (var file in Directory.GetFiles(server.Directory, "truto.db*"))
        {
            File.Delete(file);
        }

        using var ready = await anonymous.GetAsync("/readyz");
        using var health = await anonymous.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("""{"status":"not_ready","failed":["store"]}""", await ready.Content.ReadAsStringAsync());
        // Alive all the same: a restart would not bring the database back.
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Readyz_is_a_503_naming_the_key_ring_once_it_has_no_usable_key()
    {
        // No key may be made on demand, so once every key is revoked nothing can be protected.
        await using var server = await TestServer.StartAsync(builder => builder.Services.Configure<KeyManagementOptions>(o => o.AutoGenerateKeys = false));
        var keys = server.Services.GetRequiredService<IKeyManager>();
        var now = DateTimeOffset.UtcNow;
        keys.CreateNewKey(now.AddMinutes(-1), now.AddDays(90));
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using (var before = await anonymous.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        keys.RevokeAllKeys(DateTimeOffset.UtcNow, "test: the key ring becomes unusable");
        // Data Protection swaps in the reloaded key ring in the background: wait for it, bounded.
        var (status, body) = await UntilAsync(anonymous, "/readyz", HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("""{"status":"not_ready","failed":["key_ring"]}""", body);
    }

    /// <summary>Asks <paramref name="path"/> again until it answers <paramref name="expected"/> or <paramref name="limit"/> passes; the last answer.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> UntilAsync(HttpClient client, string path, HttpStatusCode expected, TimeSpan limit)
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected || DateTimeOffset.UtcNow > deadline)
            {
                return (response.StatusCode, body);
            }
            await Task.Delay(50);
        }
    }
}

/// <summary><c>/readyz</c> on PostgreSQL: ready, then a 503 naming the store once its database is gone.</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresReadinessTests(PostgresServer postgres)
{
    [Fact]
    public async Task Readyz_is_a_503_naming_the_store_once_the_database_is_dropped()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var server = await TestServer.StartAsync(["--Store:Provider=postgresql", $"--ConnectionStrings:Truto={postgres.ConnectionString(database)}"]);
        using var anonymous = new HttpClient { BaseAddress = server.Url };
        using (var before = await anonymous.GetAsync("/readyz"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        await postgres.DropDatabaseAsync(database);
        using var ready = await anonymous.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal("not_ready", (string?)body!["status"]);
        Assert.Equal(["store"], body["failed"]!.AsArray().Select(f => (string)f!));
        Assert.DoesNotContain(database, body.ToJsonString(), StringComparison.Ordinal);
    }
}
