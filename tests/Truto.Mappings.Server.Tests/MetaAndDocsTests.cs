using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests;

/// <summary>Meta responses, the OpenAPI document, and the docs pages rendered by headless Chromium.</summary>
public sealed class MetaAndDocsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    [Fact]
    public async Task Meta_for_an_integration_lists_what_its_mapping_does()
    {
        var meta = (await _server.Client.GetFromJsonAsync<JsonObject>("/unified/crm/contacts/nutshell/meta/delete"))!;

        Assert.Equal("Nutshell", (string?)meta["display_name"]);
        Assert.Equal("DELETE", (string?)meta["http_method"]);
        Assert.StartsWith("https://", (string?)meta["documentation_link"], StringComparison.Ordinal);
        var supported = meta["supported_fields"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Contains("email_addresses.email", supported);
        Assert.Contains("created_at", supported);
        Assert.Equal("string", (string?)meta["schema"]!["properties"]!["id"]!["type"]);
        Assert.Contains("truto_response_format", meta["query_schema"]!["properties"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task Meta_for_an_account_describes_its_integrations_batch()
    {
        var account = await _server.CreateAccountAsync("zoho", new JsonObject
        {
            ["api_domain"] = "https://www.zohoapis.eu",
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } },
        });

        var meta = (await _server.Client.GetFromJsonAsync<JsonObject>($"/unified/crm/contacts/meta/batch-delete?integrated_account_id={account}"))!;

        Assert.Equal("zoho", (string?)meta["integration"]);
        Assert.Equal("native", (string?)meta["batch"]!["strategy"]);
        Assert.Equal(100, (int)meta["batch"]!["max_ids_per_call"]!);
        Assert.Contains("id", meta["body_schema"]!["required"]!.AsArray().Select(r => (string)r!));
    }

    [Theory]
    [InlineData("/unified/crm/contacts/hubspott/meta/delete")]
    [InlineData("/unified/crm/contacts/hubspot/meta/update")]
    [InlineData("/unified/crm/contacts/capsule/meta/batch-deletes")]
    public async Task Meta_for_something_unknown_is_a_404_envelope(string path)
    {
        using var response = await _server.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(404, (int)(await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_both_unified_endpoints()
    {
        var document = (await _server.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        Assert.True(paths.ContainsKey("/unified/crm/contacts/{id}"));
        Assert.True(paths.ContainsKey("/unified/crm/contacts/batch-delete"));
    }

    [Theory]
    [InlineData("batch-delete")]
    [InlineData("delete")]
    public async Task The_docs_page_renders_in_headless_Chromium_with_the_reference_content(string page)
    {
        var coverage = ContactsReference.Coverage(page);

        var dom = await DumpDomAsync(new Uri(_server.Url, "/docs/unified/crm/contacts/" + page));

        Assert.Contains($"<title>{WebUtility.HtmlEncode(coverage.Method.HttpMethod + " " + coverage.Method.Path)}</title>", dom, StringComparison.Ordinal);
        Assert.Contains("Response Body", dom, StringComparison.Ordinal);
        var id = coverage.Response.Single(f => f.Name == "id");
        Assert.Contains($"<p class=\"coverage\">{id.Summary}</p>", dom, StringComparison.Ordinal);
        Assert.All(id.Providers, p => Assert.Contains($"<li data-provider=\"{p.Name}\">{WebUtility.HtmlEncode(p.DisplayName)} <span>supported</span></li>", dom, StringComparison.Ordinal));
        var requiredInQuery = coverage.Query.SingleOrDefault(f => f.Name == "id")?.Providers.Where(p => p.Required) ?? [];
        Assert.All(requiredInQuery, p => Assert.Contains($"<li data-provider=\"{p.Name}\">{WebUtility.HtmlEncode(p.DisplayName)} <span class=\"required\">required</span></li>", dom, StringComparison.Ordinal));
    }

    /// <summary>Loads the page in Debian's chromium (installed by .ci/run) and returns the DOM it built.</summary>
    private static async Task<string> DumpDomAsync(Uri url)
    {
        var start = new ProcessStartInfo("chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--dump-dom", url.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        _ = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        return await output;
    }

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();
}
