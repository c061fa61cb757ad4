using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// The whole server on <c>Store:Provider=postgresql</c> over real HTTP: accounts, a unified delete
/// against a loopback provider and an <c>Idempotency-Key</c> replay, all through the shared database.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresServerTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private string _database = "";
    private ReplayServer _provider = null!;
    private TestServer _server = null!;

    [Fact]
    public async Task A_server_on_PostgreSQL_stores_accounts_there_deletes_through_them_and_replays_an_idempotent_answer()
    {
        _provider.Load(NoContent, 2);
        var account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "secret-access-token" } },
        });

        using var deleted = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={account}");
        using var first = await BatchDelete(account, "key-1");
        using var replay = await BatchDelete(account, "key-1");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(2, _provider.Received.Count);
        // The rows are in PostgreSQL (the context encrypted), and no SQLite file was made.
        Assert.Equal([(account, false)], await ScalarsAsync("SELECT id, context LIKE '%secret-access-token%' FROM integrated_accounts"));
        Assert.Single(await ScalarsAsync("SELECT key, status FROM idempotent_answers WHERE status = 200"));
        Assert.False(File.Exists(_server.DatabasePath));
    }

    [Fact]
    public async Task A_second_server_on_the_same_database_sees_the_first_ones_accounts_and_answers()
    {
        _provider.Load(NoContent, 1);
        var account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        });
        using var first = await BatchDelete(account, "key-shared");
        // The keys folder does not matter on PostgreSQL: the key ring is in the database (Cluster/SharedKeyRingTests).
        await using var second = await TestServer.StartAsync(
            "--Store:Provider=postgresql", $"--ConnectionStrings:Truto={postgres.ConnectionString(_database)}",
            $"--DataProtection:KeysFolder={Path.Combine(_server.Directory, "keys")}", _provider.AllowArgument());

        using var read = await second.Client.GetAsync($"/integrated-account/{account}");
        using var replay = await BatchDelete(account, "key-shared", second.Client);

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Single(_provider.Received);
    }

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync("--Store:Provider=postgresql", $"--ConnectionStrings:Truto={postgres.ConnectionString(_database)}", _provider.AllowArgument());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
        await postgres.DropDatabaseAsync(_database);
    }

    private Task<HttpResponseMessage> BatchDelete(string account, string key, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/unified/crm/contacts/batch-delete?integrated_account_id={account}")
        {
            Content = new StringContent("""{"id": ["7"]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return (client ?? _server.Client).SendAsync(request);
    }

    private async Task<List<(object, object)>> ScalarsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(object, object)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetValue(0), reader.GetValue(1)));
        }
        return rows;
    }
}
