using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The Data Protection key ring at rest: owner-only files and a loud warning without a certificate,
/// keys encrypted with a configured certificate, and a start that fails with a message naming the
/// setting when the key ring cannot read the stored accounts.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyRingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-keyring-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Without_a_certificate_key_files_are_owner_only_and_a_warning_says_they_are_not_encrypted()
    {
        var logs = new CollectingLoggerProvider();
        await using (var server = await StartAsync("keys", logs))
        {
            // The first account makes Data Protection create its first key.
            await server.CreateAccountAsync("hubspot", TestServer.HubSpotContext());
        }

        var keys = Path.Combine(_directory, "keys");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        var files = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        var warning = Assert.Single(logs.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("NOT encrypted at rest", StringComparison.Ordinal));
        Assert.Contains(keys, warning.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Certificate:Path", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_keys_folder_left_open_to_others_is_tightened_at_start()
    {
        var keys = Path.Combine(_directory, "keys");
        Directory.CreateDirectory(keys);
        File.SetUnixFileMode(keys, (UnixFileMode)0b111_101_101);

        await using (await StartAsync("keys"))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        }
    }

    [Fact]
    public async Task Stored_accounts_with_a_missing_key_ring_fail_the_start_naming_DataProtection_KeysFolder()
    {
        await using (var server = await StartAsync("keys"))
        {
            await server.CreateAccountAsync("hubspot", TestServer.HubSpotContext());
        }

        var failure = await Assert.ThrowsAsync<StartupException>(() => StartAsync("empty-keys"));

        Assert.Contains("DataProtection:KeysFolder", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory, "empty-keys"), failure.Message, StringComparison.Ordinal);
        Assert.Contains("has no keys", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_accounts_with_another_key_ring_fail_the_start_naming_DataProtection_KeysFolder()
    {
        await using (var server = await StartAsync("keys"))
        {
            await server.CreateAccountAsync("hubspot", TestServer.HubSpotContext());
        }
        // Another server's keys, on a database of its own.
        await using (var other = await TestServer.StartAsync($"--DataProtection:KeysFolder={Path.Combine(_directory, "other-keys")}"))
        {
            await other.CreateAccountAsync("hubspot", TestServer.HubSpotContext());
        }

        var failure = await Assert.ThrowsAsync<StartupException>(() => StartAsync("other-keys"));

        Assert.Contains("cannot be decrypted", failure.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:KeysFolder", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_certificate_the_keys_are_encrypted_and_another_certificate_fails_the_start_naming_it()
    {
        var right = Certificate("right", "pw");
        var wrong = Certificate("wrong", "pw");
        var logs = new CollectingLoggerProvider();
        string id;
        await using (var server = await StartAsync("keys", logs, $"--DataProtection:Certificate:Path={right}", "--DataProtection:Certificate:Password=pw"))
        {
            id = await server.CreateAccountAsync("copper", new JsonObject { ["api_key"] = "k", ["user_email"] = "me@example.com" });
        }
        await using (var again = await StartAsync("keys", null, $"--DataProtection:Certificate:Path={right}", "--DataProtection:Certificate:Password=pw"))
        {
            var account = (await again.Client.GetFromJsonAsync<JsonObject>($"/integrated-account/{id}"))!;
            Assert.Equal("me@example.com", (string?)account["context"]!["user_email"]);
        }

        var failure = await Assert.ThrowsAsync<StartupException>(() => StartAsync("keys", null, $"--DataProtection:Certificate:Path={wrong}", "--DataProtection:Certificate:Password=pw"));

        var key = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_directory, "keys"), "key-*.xml").First());
        Assert.Contains("encryptedSecret", key, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Messages, m => m.Message.Contains("NOT encrypted at rest", StringComparison.Ordinal));
        Assert.Contains("cannot be decrypted", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"DataProtection:Certificate:Path ('{wrong}')", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_loaded_fails_the_start_naming_the_settings()
    {
        var certificate = Certificate("right", "pw");

        var failure = await Assert.ThrowsAsync<StartupException>(() => StartAsync("keys", null, $"--DataProtection:Certificate:Path={certificate}", "--DataProtection:Certificate:Password=not-it"));

        Assert.Contains("DataProtection:Certificate:Path", failure.Message, StringComparison.Ordinal);
        Assert.Contains("DataProtection:Certificate:Password", failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A server on this test's database and <paramref name="keysFolder"/> (under the test's directory).</summary>
    private Task<TestServer> StartAsync(string keysFolder, CollectingLoggerProvider? logs = null, params string[] extra)
    {
        Directory.CreateDirectory(_directory);
        return TestServer.StartAsync(
            builder =>
            {
                if (logs is not null)
                {
                    builder.Logging.AddProvider(logs);
                }
            },
            [
                $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "truto.db")};Pooling=False",
                $"--DataProtection:KeysFolder={Path.Combine(_directory, keysFolder)}",
                .. extra,
            ]);
    }

    /// <summary>A self-signed RSA certificate with its private key, as a password-protected PFX file.</summary>
    private string Certificate(string name, string password)
    {
        Directory.CreateDirectory(_directory);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest($"CN=truto-{name}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_directory, name + ".pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
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
