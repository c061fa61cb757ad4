using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Truto.Mappings.Http;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Cluster;

/// <summary>The server on <c>Store:Provider=postgresql</c> paces provider calls through the shared limiter; on SQLite through the in-process one.</summary>
[Collection(SharedPostgres.Name)]
public sealed class ClusterRateLimitServerTests(PostgresServer postgres) : IAsyncLifetime
{
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private string _database = "";
    private ReplayServer _provider = null!;
    private TestServer _server = null!;

    [Fact]
    public async Task A_provider_call_is_booked_in_the_database_and_a_failing_database_is_a_503_without_a_provider_call()
    {
        _provider.Load(NoContent, 1);
        var account = await _server.CreateAccountAsync("hubspot", TestServer.HubSpotContext(_provider.Url));

        using var deleted = await _server.Client.DeleteAsync($"/unified/crm/contacts/51?integrated_account_id={account}");
        var booked = await ScalarAsync($"SELECT count(*) FROM provider_rate_limits WHERE provider = 'hubspot' AND account = '{account}'");
        await ScalarAsync("DROP TABLE provider_rate_limits");
        using var refused = await _server.Client.DeleteAsync($"/unified/crm/contacts/52?integrated_account_id={account}");
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;

        Assert.IsType<PostgresRateLimiter>(_server.Services.GetRequiredService<IProviderRateLimiter>());
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(1L, booked);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("shared rate limit for hubspot could not be checked", (string?)body["message"], StringComparison.Ordinal);
        Assert.DoesNotContain(postgres.ConnectionString(_database), body.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(_provider.Received);
    }

    [Fact]
    public async Task On_SQLite_the_in_process_limiter_paces_calls()
    {
        await using var sqlite = await TestServer.StartAsync();

        Assert.IsType<ProviderRateLimiters>(sqlite.Services.GetRequiredService<IProviderRateLimiter>());
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

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
