using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The admin commands of the real executable (<c>dotnet Truto.Mappings.Server.dll tokens create …</c>),
/// configured by environment variables the standard way, then used by a server on the same database.
/// </summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-admin-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Tokens_create_prints_a_token_once_and_stores_only_its_hash()
    {
        var (exit, output, _) = await RunAsync("tokens", "create", "--name", "ci");

        var token = output.Trim();
        Assert.Equal(0, exit);
        Assert.StartsWith("tm_", token, StringComparison.Ordinal);
        var hashes = await ReadAllAsync("SELECT hash FROM api_tokens");
        Assert.Equal([Security.ApiTokens.Hash(token)], hashes);
        Assert.DoesNotContain(token, await File.ReadAllTextAsync(Path.Combine(_directory, "truto.db")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_add_prints_the_id_of_an_account_the_server_can_use()
    {
        var (exit, output, _) = await RunAsync("accounts", "add", "--integration", "hubspot", "--context", "{\"oauth\":{\"token\":{\"access_token\":\"x\"}}}");
        var id = output.Trim();
        var (_, tokenOutput, _) = await RunAsync("tokens", "create", "--name", "reader");

        await using var server = await Infrastructure.TestServer.StartAsync(
            $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
            $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}");
        using var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenOutput.Trim());
        using var response = await client.GetAsync($"/integrated-account/{id}");

        Assert.Equal(0, exit);
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"integration\":\"hubspot\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_revoke_makes_a_token_stop_working()
    {
        var (_, token, created) = await RunAsync("tokens", "create", "--name", "short-lived");
        var id = System.Text.RegularExpressions.Regex.Match(created, "Token ([0-9a-f-]{36}) created").Groups[1].Value;

        var (exit, _, _) = await RunAsync("tokens", "revoke", "--id", id);
        var (again, _, error) = await RunAsync("tokens", "revoke", "--id", id);

        Assert.Equal(0, exit);
        Assert.NotEqual(0, again);
        Assert.Contains("No active token", error, StringComparison.Ordinal);
        await using var server = await Infrastructure.TestServer.StartAsync(
            $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
            $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}");
        using var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        using var response = await client.GetAsync("/integrated-account");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Accounts_add_with_an_unknown_integration_fails_and_names_the_known_ones()
    {
        var (exit, _, error) = await RunAsync("accounts", "add", "--integration", "hubspott", "--context", "{}");

        Assert.NotEqual(0, exit);
        Assert.Contains("Unknown integration 'hubspott'", error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Truto.Mappings.Server.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["ConnectionStrings__Truto"] = $"Data Source={Path.Combine(_directory, "truto.db")};Pooling=False";
        start.Environment["DataProtection__KeysFolder"] = Path.Combine(_directory, "keys");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private async Task<List<string>> ReadAllAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "truto.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder when a file is still held; nothing of value is in it.
        }
    }
}
