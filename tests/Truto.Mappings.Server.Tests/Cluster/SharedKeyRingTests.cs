using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Npgsql;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Cluster;

/// <summary>
/// With <c>Store:Provider=postgresql</c> the Data Protection key ring is in the database: an account
/// written through one server is read through another with its own, empty keys folder; a configured
/// certificate still encrypts the keys at rest.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class SharedKeyRingTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-shared-keyring", Guid.NewGuid().ToString("N"));
    private string _database = "";

    [Fact]
    public async Task An_account_written_through_one_server_is_read_through_another_with_an_empty_keys_folder()
    {
        var logs = new CollectingLoggerProvider();
        string id;
        await using (var first = await StartAsync())
        {
            id = await first.CreateAccountAsync("copper", Context());
            Assert.False(Directory.Exists(Path.Combine(first.Directory, "keys")));
        }
        await using var second = await StartAsync(logs);

        var account = (await second.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;

        Assert.Equal("me@example.com", (string?)account["context"]!["user_email"]);
        Assert.False(Directory.Exists(Path.Combine(second.Directory, "keys")));
        var rows = await KeyRowsAsync();
        Assert.Single(rows);
        // Without a certificate the key is in the table as it is: the start says so, naming the database.
        Assert.Contains("<masterKey", rows[0], StringComparison.Ordinal);
        var warning = Assert.Single(logs.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("NOT encrypted at rest", StringComparison.Ordinal));
        Assert.Contains("data_protection_keys", warning.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Certificate:Path", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instances_starting_at_once_on_an_empty_key_ring_share_one_first_key()
    {
        var servers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => StartAsync()));
        try
        {
            var ids = await Task.WhenAll(servers.Select(s => s.CreateAccountAsync("copper", Context())));
            var reads = await Task.WhenAll(ids.Select((id, i) => servers[(i + 1) % servers.Length].Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}")));

            Assert.Single(await KeyRowsAsync());
            Assert.All(reads, r => Assert.Equal("me@example.com", (string?)r!["context"]!["user_email"]));
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_another_server_with_it_reads_the_accounts()
    {
        var logs = new CollectingLoggerProvider();
        var certificate = Certificate("pw");
        string id;
        await using (var first = await StartAsync(logs, $"--DataProtection:Certificate:Path={certificate}", "--DataProtection:Certificate:Password=pw"))
        {
            id = await first.CreateAccountAsync("copper", Context());
        }
        await using var second = await StartAsync(logs, $"--DataProtection:Certificate:Path={certificate}", "--DataProtection:Certificate:Password=pw");

        var account = (await second.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;

        Assert.Equal("me@example.com", (string?)account["context"]!["user_email"]);
        var row = Assert.Single(await KeyRowsAsync());
        Assert.DoesNotContain("<masterKey", row, StringComparison.Ordinal);
        Assert.Contains("encryptedSecret", row, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Message.Contains("NOT encrypted at rest", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stored_accounts_with_an_emptied_key_ring_table_fail_the_start_naming_the_table()
    {
        await using (var first = await StartAsync())
        {
            await first.CreateAccountAsync("copper", Context());
        }
        await ExecuteAsync("DELETE FROM data_protection_keys");

        var failure = await Assert.ThrowsAsync<StartupException>(() => StartAsync());

        Assert.Contains("data_protection_keys", failure.Message, StringComparison.Ordinal);
        Assert.Contains("has no keys", failure.Message, StringComparison.Ordinal);
    }

    public async Task InitializeAsync() => _database = await postgres.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await postgres.DropDatabaseAsync(_database);
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A Copper context: its user_email is shown on reads, so reading it proves the context was decrypted.</summary>
    private static JsonObject Context() => new() { ["api_key"] = "k", ["user_email"] = "me@example.com" };

    /// <summary>A server on this test's database with its own (empty) keys folder, as TestServer gives each.</summary>
    private Task<TestServer> StartAsync(CollectingLoggerProvider? logs = null, params string[] extra)
        => TestServer.StartAsync(
            builder =>
            {
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }
            },
            ["--Store:Provider=postgresql", $"--ConnectionStrings:Truto={postgres.ConnectionString(_database)}", .. extra]);

    private async Task<List<string>> KeyRowsAsync()
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xml FROM data_protection_keys", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A self-signed RSA certificate with its private key, as a password-protected PFX file.</summary>
    private string Certificate(string password)
    {
        Directory.CreateDirectory(_directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=truto-cluster", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, "cluster.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }
}
