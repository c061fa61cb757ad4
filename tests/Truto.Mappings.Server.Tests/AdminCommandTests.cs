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
    public async Task A_token_revoked_by_the_admin_command_while_the_server_runs_is_refused_once_its_cached_check_expires()
    {
        // SQLite: no notification reaches the running server, so Cache:TokenTtl is the bound.
        await using var server = await Infrastructure.TestServer.StartAsync(
            $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
            $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}",
            "--Cache:TokenTtl=00:00:00.500");
        var (_, token, created) = await RunAsync("tokens", "create", "--name", "cached");
        var id = System.Text.RegularExpressions.Regex.Match(created, "Token ([0-9a-f-]{36}) created").Groups[1].Value;
        using var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        using var before = await client.GetAsync("/integrated-account");

        var (exit, _, _) = await RunAsync("tokens", "revoke", "--id", id);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var after = await client.GetAsync("/integrated-account", patience.Token);
            if (after.StatusCode == HttpStatusCode.Unauthorized)
            {
                break;
            }
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
        }

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Tokens_create_with_scope_tenant_and_environment_makes_a_narrow_token_that_behaves_narrow()
    {
        var (_, acmeOutput, _) = await RunAsync("accounts", "add", "--integration", "hubspot", "--context", Infrastructure.TestServer.HubSpotContextJson, "--tenant", "acme", "--environment", "staging");
        var (_, betaOutput, _) = await RunAsync("accounts", "add", "--integration", "hubspot", "--context", Infrastructure.TestServer.HubSpotContextJson, "--tenant", "beta", "--environment", "staging");
        var (_, defaultOutput, _) = await RunAsync("accounts", "add", "--integration", "hubspot", "--context", Infrastructure.TestServer.HubSpotContextJson, "--tenant", "acme");
        var (exit, tokenOutput, created) = await RunAsync("tokens", "create", "--name", "narrow", "--scope", "unified", "--scope", "accounts:read", "--tenant", "acme", "--environment", "staging");
        var (acme, beta, inDefault) = (acmeOutput.Trim(), betaOutput.Trim(), defaultOutput.Trim());

        await using var server = await StartServerOnTheSameFilesAsync();
        using var client = Client(server, tokenOutput.Trim());
        var list = await client.GetStringAsync(new Uri("/integrated-account", UriKind.Relative));
        using var otherTenant = await client.GetAsync($"/integrated-account/{beta}");
        using var otherEnvironment = await client.GetAsync($"/integrated-account/{inDefault}");
        using var write = await client.DeleteAsync($"/integrated-account/{acme}");

        Assert.Equal(0, exit);
        Assert.Contains("environment staging, scopes accounts:read,unified, tenant acme", created, StringComparison.Ordinal);
        Assert.Contains(acme, list, StringComparison.Ordinal);
        Assert.DoesNotContain(beta, list, StringComparison.Ordinal);
        Assert.DoesNotContain(inDefault, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherEnvironment.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("lacks the scope 'accounts:write'", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scopes_may_be_comma_separated_and_tokens_list_shows_what_each_token_grants_but_never_the_token()
    {
        var (_, wide, _) = await RunAsync("tokens", "create", "--name", "wide");
        var (_, narrow, _) = await RunAsync("tokens", "create", "--name", "narrow", "--scope", "unified,accounts:write", "--tenant", "acme");

        var (exit, output, _) = await RunAsync("tokens", "list");

        Assert.Equal(0, exit);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split('\t')).ToList();
        Assert.Equal(["id", "name", "environment", "scopes", "tenant", "created_at", "revoked_at"], rows[0]);
        Assert.Equal(["wide", "default", "accounts:read,accounts:write,unified", "*", "-"], rows.Single(r => r[1] == "wide").Where((_, i) => i is 1 or 2 or 3 or 4 or 6));
        Assert.Equal(["narrow", "default", "accounts:write,unified", "acme", "-"], rows.Single(r => r[1] == "narrow").Where((_, i) => i is 1 or 2 or 3 or 4 or 6));
        Assert.DoesNotContain(wide.Trim(), output, StringComparison.Ordinal);
        Assert.DoesNotContain(narrow.Trim(), output, StringComparison.Ordinal);
        Assert.DoesNotContain(Security.ApiTokens.Hash(narrow.Trim()), output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tokens_create_with_an_unknown_scope_fails_naming_it_and_the_known_ones()
    {
        var (exit, output, error) = await RunAsync("tokens", "create", "--name", "typo", "--scope", "unified,accounts:delete");

        Assert.NotEqual(0, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("Unknown scope 'accounts:delete'; the scopes are accounts:read, accounts:write, unified.", error, StringComparison.Ordinal);
        Assert.Empty(await ReadAllAsync("SELECT hash FROM api_tokens"));
    }

    [Fact]
    public async Task A_key_ring_that_cannot_read_the_stored_accounts_stops_the_program_with_a_message_naming_the_setting()
    {
        var (added, _, _) = await RunAsync("accounts", "add", "--integration", "hubspot", "--context", Infrastructure.TestServer.HubSpotContextJson);

        var (exit, output, error) = await RunAsync(["tokens", "create", "--name", "ci"], keysFolder: Path.Combine(_directory, "elsewhere"));

        Assert.Equal(0, added);
        Assert.Equal(1, exit);
        Assert.Empty(output.Trim());
        Assert.Contains("Truto.Mappings cannot start:", error, StringComparison.Ordinal);
        Assert.Contains("DataProtection:KeysFolder", error, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Truto.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_add_with_an_unknown_integration_fails_and_names_the_known_ones()
    {
        var (exit, _, error) = await RunAsync("accounts", "add", "--integration", "hubspott", "--context", "{}");

        Assert.NotEqual(0, exit);
        Assert.Contains("Unknown integration 'hubspott'", error, StringComparison.Ordinal);
    }

    private Task<Infrastructure.TestServer> StartServerOnTheSameFilesAsync() => Infrastructure.TestServer.StartAsync(
        $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
        $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}");

    private static HttpClient Client(Infrastructure.TestServer server, string token)
    {
        var client = new HttpClient { BaseAddress = server.Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Task<(int Exit, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, null);

    private async Task<(int Exit, string Output, string Error)> RunAsync(string[] args, string? keysFolder)
    {
        Directory.CreateDirectory(_directory);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Truto.Mappings.Server.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        start.Environment["ConnectionStrings__Truto"] = $"Data Source={Path.Combine(_directory, "truto.db")};Pooling=False";
        start.Environment["DataProtection__KeysFolder"] = keysFolder ?? Path.Combine(_directory, "keys");
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
