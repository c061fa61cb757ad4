using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// <c>Mappings:InterpretedFolder</c>: provider files loaded at start through the interpreter serve
/// the unified API beside the compiled providers, marked in meta and logged; a file with errors
/// stops the start with the build's diagnostics.
/// </summary>
public sealed class InterpretedProviderFolderTests : IAsyncLifetime
{
    private const string Acme = """
        name: acme
        display_name: Acme CRM
        base_url: https://api.acme.example
        hosts: [api.acme.example]
        context:
          token: {label: Token, secret: true}
        auth:
          type: bearer
          token: "{{context.token}}"
        contacts:
          delete:
            method: DELETE
            path: /people/{{id}}
            response:
              id: "{{id}}"
              first_name: "$.person.first"

        """;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "truto-interpreted-" + Guid.NewGuid().ToString("N"));
    private ReplayServer _provider = null!;

    [Fact]
    public async Task An_interpreted_provider_deletes_is_marked_in_meta_and_logged()
    {
        Write("acme.yaml", Acme);
        var logs = new CollectingLoggerProvider();
        await using var server = await TestServer.StartAsync(
            builder => builder.Logging.AddProvider(logs),
            $"--Mappings:InterpretedFolder={_folder}", $"--Providers:acme:BaseUrl={_provider.Url}", _provider.AllowArgument());
        var account = await server.CreateAccountAsync("acme", new JsonObject { ["token"] = "acme-secret" });
        _provider.Load([new RecordedAnswer(200, new Dictionary<string, string>(), """{"person":{"first":"Ada"}}""", "application/json")]);

        using var deleted = await server.Client.DeleteAsync($"/unified/crm/contacts/42?integrated_account_id={account}");
        var meta = (await server.Client.GetFromJsonAsync<JsonObject>("/unified/crm/contacts/acme/meta/delete"))!;
        var compiled = (await server.Client.GetFromJsonAsync<JsonObject>("/unified/crm/contacts/hubspot/meta/delete"))!;

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        var contact = (await deleted.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("42", (string?)contact["id"]);
        Assert.Equal("Ada", (string?)contact["first_name"]);
        Assert.Equal("/people/42", Assert.Single(_provider.Received).PathAndQuery);
        Assert.Equal("Bearer acme-secret", _provider.Received[0].Headers["authorization"]);
        Assert.Equal("acme.yaml", (string?)meta["interpreted_from"]);
        Assert.Null(compiled["interpreted_from"]);
        Assert.Contains(logs.Messages, m => m.Level == LogLevel.Warning && m.Message.Contains("Provider acme is interpreted from", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_file_with_errors_stops_the_start_with_its_diagnostics()
    {
        Write("acme.yaml", Acme.Replace("    method: DELETE", "    methd: DELETE", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<StartupException>(() => TestServer.StartAsync($"--Mappings:InterpretedFolder={_folder}"));

        Assert.Contains("acme.yaml(12,5): error TM0002: Unknown key 'methd'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_a_compiled_provider_has_stops_the_start()
    {
        Write("hubspot_copy.yaml", Acme.Replace("name: acme", "name: hubspot", StringComparison.Ordinal));

        var failure = await Assert.ThrowsAsync<StartupException>(() => TestServer.StartAsync($"--Mappings:InterpretedFolder={_folder}"));

        Assert.Contains("'hubspot_copy.yaml' is named 'hubspot', which a compiled provider already has", failure.Message, StringComparison.Ordinal);
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_folder, "providers", name), text);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "providers"));
        Directory.CreateDirectory(Path.Combine(_folder, "unified", "crm"));
        File.Copy(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "mappings", "unified", "crm", "contacts.yaml"), Path.Combine(_folder, "unified", "crm", "contacts.yaml"));
        _provider = await ReplayServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _provider.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
