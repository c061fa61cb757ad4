using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// <c>--sandbox</c>: simulators in-process, one account per provider, and printed curl commands
/// that really delete — the README's first experience, checked for every provider.
/// </summary>
public sealed partial class SandboxModeTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-sandbox-tests", Guid.NewGuid().ToString("N"));
    private WebApplication _app = null!;
    private string _printed = "";

    [Fact]
    public async Task Every_printed_curl_command_deletes_contacts()
    {
        var commands = CurlCommand().Matches(_printed).Select(m => m.Value).ToList();
        var simulated = _app.Services.GetRequiredService<ProviderCatalog>().All.Count(a => Sandbox.ProviderSandbox.ProviderNames.Contains(a.Info.Name));

        Assert.Equal(2 * simulated, commands.Count);
        foreach (var command in commands)
        {
            var output = await RunAsync(command.Replace("curl ", "curl -sS ", StringComparison.Ordinal));
            var json = JsonNode.Parse(output)!.AsObject();
            Assert.True(json["statusCode"] is null, $"{command}\n=> {output}");
            Assert.True(json["id"] is not null || json["result"]!.AsArray().Count == 2, $"{command}\n=> {output}");
        }
    }

    [Fact]
    public async Task The_printed_Dynamics_365_connect_link_carries_the_environment_its_OAuth_scope_names()
    {
        var link = _printed.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/connect/dynamics365?link_token=", StringComparison.Ordinal));
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        using var start = await browser.GetAsync(link);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, start.StatusCode);
        var scope = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(start.Headers.Location!.Query)["scope"].ToString();
        Assert.Equal("https://acme.crm.dynamics.com/user_impersonation offline_access", scope);
    }

    [Fact]
    public async Task The_printed_HubSpot_connect_link_connects_an_account_through_the_simulated_OAuth_server()
    {
        var link = _printed.Split('\n').Select(l => l.Trim()).Single(l => l.Contains("/connect/hubspot?link_token=", StringComparison.Ordinal));
        using var browser = new HttpClient();

        var authorize = await browser.GetAsync(link);
        var page = await authorize.Content.ReadAsStringAsync();
        Assert.Contains("id=\"allow\"", page, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.RequestMessage!.RequestUri!.Query);
        using var allow = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["redirect_uri"] = query["redirect_uri"].ToString(),
            ["state"] = query["state"].ToString(),
            ["decision"] = "allow",
        });
        using var done = await browser.PostAsync(authorize.RequestMessage.RequestUri.GetLeftPart(UriPartial.Path), allow);

        var result = await done.Content.ReadAsStringAsync();
        Assert.EndsWith("/sandbox/connected", done.RequestMessage!.RequestUri!.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        var id = AccountIdOnPage().Match(result).Groups[1].Value;
        Assert.True(id.Length == 36, result);
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SandboxMode.DemoToken);
        var account = JsonNode.Parse(await client.GetStringAsync($"/integrated-account/{id}"))!;
        Assert.Equal("hubspot", (string?)account["integration"]);
        Assert.Equal("sandbox", (string?)account["tenant_id"]);
        // The connected account calls the simulator, with the token the simulated OAuth server issued.
        var contact = _app.Services.GetRequiredService<SandboxState>().Simulators!["hubspot"].Contacts.Seed(1)[0];
        using var deleted = await client.DeleteAsync($"/unified/crm/contacts/{contact}?integrated_account_id={id}");
        Assert.Equal(System.Net.HttpStatusCode.OK, deleted.StatusCode);
        Assert.False(_app.Services.GetRequiredService<SandboxState>().Simulators!["hubspot"].Contacts.Contains(contact));
        authorize.Dispose();
    }

    [Fact]
    public void A_connect_link_is_printed_for_every_simulated_provider()
    {
        var simulated = _app.Services.GetRequiredService<ProviderCatalog>().All.Select(a => a.Info.Name).Where(Sandbox.ProviderSandbox.ProviderNames.Contains).ToList();

        Assert.NotEmpty(simulated);
        Assert.All(simulated, name => Assert.Contains($"/connect/{name}?link_token=", _printed, StringComparison.Ordinal));
    }

    [GeneratedRegex("<code id=\"account\">([0-9a-f-]{36})</code>")]
    private static partial Regex AccountIdOnPage();

    [Fact]
    public async Task Preparing_again_reuses_the_same_account_ids()
    {
        var first = AccountIds().ToList();
        using var output = new StringWriter();

        await SandboxMode.PrepareAsync(_app, output);

        Assert.Equal(first, AccountIds(output.ToString()));
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SandboxMode.DemoToken);
        var list = JsonNode.Parse(await client.GetStringAsync("/integrated-account"))!["result"]!.AsArray();
        Assert.Equal(first.Count, list.Count);
    }

    [Fact]
    public async Task Every_simulated_provider_merges_ids_from_body_and_query_through_the_server()
    {
        var simulators = _app.Services.GetRequiredService<SandboxState>().Simulators!;
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SandboxMode.DemoToken);

        foreach (var simulator in simulators.All)
        {
            var ids = simulator.Contacts.Seed(3);
            var query = $"integrated_account_id={SandboxMode.AccountId(simulator.Name)}&id[]={Uri.EscapeDataString(ids[1])}&id[]={Uri.EscapeDataString(ids[2])}&id[]={Uri.EscapeDataString(ids[0])}";
            using var content = new StringContent($$"""{"id": ["{{ids[0]}}"]}""", System.Text.Encoding.UTF8, "application/json");

            using var response = await client.PostAsync($"/unified/crm/contacts/batch-delete?{query}", content);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            Assert.True(response.IsSuccessStatusCode, $"{simulator.Name}: {body}");
            Assert.Equal([ids[0], ids[1], ids[2]], body["result"]!.AsArray().Select(r => (string)r!["id"]!));
            Assert.Equal(0, simulator.Contacts.Ids.Count(ids.Contains));
        }
    }

    [Fact]
    public async Task A_Dataverse_batch_is_one_multipart_call_whose_404_part_is_that_ids_error()
    {
        var dataverse = _app.Services.GetRequiredService<SandboxState>().Simulators!["dynamics365"];
        var ids = dataverse.Contacts.Seed(2);
        dataverse.ClearRequests();
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", SandboxMode.DemoToken);
        using var content = new StringContent($$"""{"id": ["{{ids[0]}}", "{{dataverse.UnknownId}}", "{{ids[1]}}"]}""", System.Text.Encoding.UTF8, "application/json");

        using var response = await client.PostAsync($"/unified/crm/contacts/batch-delete?integrated_account_id={SandboxMode.AccountId("dynamics365")}", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        Assert.Equal([ids[0], ids[1]], body["result"]!.AsArray().Select(r => (string)r!["id"]!));
        var error = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(dataverse.UnknownId, (string?)error["id"]);
        Assert.Equal(404, (int)error["statusCode"]!);
        Assert.Equal($"contact With Id = {dataverse.UnknownId} Does Not Exist", (string?)error["message"]);
        Assert.Equal("0x80040217", (string?)error["raw_response"]!["error"]!["code"]);
        var call = Assert.Single(dataverse.Requests);
        Assert.Equal(("POST", "/$batch"), (call.Method, call.Path));
        Assert.StartsWith("multipart/mixed; boundary=", call.Headers["content-type"], StringComparison.Ordinal);
        Assert.Equal(0, dataverse.Contacts.Ids.Count(ids.Contains));
    }

    [Fact]
    public async Task The_simulators_are_not_in_the_OpenAPI_document_though_they_are_mapped()
    {
        using var client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };

        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        var endpoints = _app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>();

        Assert.Contains("/unified/crm/contacts/{id}", document["paths"]!.AsObject().Select(p => p.Key));
        Assert.DoesNotContain(document["paths"]!.AsObject(), p => p.Key.StartsWith(SandboxMode.Prefix, StringComparison.Ordinal) || p.Key.StartsWith("/docs", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.RoutePattern.RawText!.StartsWith(SandboxMode.Prefix, StringComparison.Ordinal));
    }

    private IEnumerable<string> AccountIds(string? text = null)
        => AccountLine().Matches(text ?? _printed).Select(m => m.Groups[1].Value);

    private static async Task<string> RunAsync(string command)
    {
        var start = new ProcessStartInfo("bash", ["-c", command]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, await error);
        return await output;
    }

    [GeneratedRegex(@"^curl .*?(?=\ncurl |\n\n|\n#|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CurlCommand();

    [GeneratedRegex(@"account ([0-9a-f-]{36}),")]
    private static partial Regex AccountLine();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _app = SandboxMode.Build(
        [
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:Truto=Data Source={Path.Combine(_directory, "sandbox.db")};Pooling=False",
            $"--DataProtection:KeysFolder={Path.Combine(_directory, "keys")}",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await _app.MigrateAsync();
        await _app.StartAsync();
        using var output = new StringWriter();
        await SandboxMode.PrepareAsync(_app, output);
        _printed = output.ToString();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
