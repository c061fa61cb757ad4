using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Truto.Mappings.Server.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests;

/// <summary>
/// The curl, JavaScript <c>fetch</c> and Python <c>requests</c> snippets of the reference pages,
/// taken from the pages' verbatim copies and run as written with only the host and the
/// placeholders (<c>&lt;your_api_token&gt;</c>, <c>&lt;integrated_account_id&gt;</c>, <c>{id}</c>,
/// the empty id list) filled in.
/// </summary>
public sealed partial class SnippetTests : IAsyncLifetime
{
    private static readonly string ReferenceDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Truto.Mappings.Tests", "Reference"));
    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private TestServer _server = null!;
    private ReplayServer _provider = null!;
    private string _account = "";

    [Theory]
    [InlineData("curl")]
    [InlineData("fetch")]
    [InlineData("requests")]
    public async Task The_delete_snippet_deletes_a_contact(string language)
    {
        _provider.Load([NoContent]);

        var output = await RunAsync(language, Snippet(File.ReadAllText(Path.Combine(ReferenceDirectory, "delete.txt")), language));

        Assert.Equal("51", (string?)ParseLast(output, language)["id"]);
        Assert.Equal("DELETE /crm/v3/objects/contacts/51", Describe(_provider.Received.Single()));
    }

    [Theory]
    [InlineData("curl")]
    [InlineData("fetch")]
    [InlineData("requests")]
    public async Task The_batch_delete_snippet_deletes_contacts(string language)
    {
        _provider.Load([NoContent]);

        var output = await RunAsync(language, Snippet(File.ReadAllText(Path.Combine(ReferenceDirectory, "batch-delete.txt")), language));

        Assert.Equal(["51", "52"], ParseLast(output, language)["result"]!.AsArray().Select(c => (string)c!["id"]!));
        Assert.Equal("POST /crm/v3/objects/contacts/batch/archive", Describe(_provider.Received.Single()));
    }

    [Fact]
    public async Task The_batch_delete_snippet_as_printed_with_no_ids_gets_a_400_naming_id()
    {
        var snippet = Snippet(File.ReadAllText(Path.Combine(ReferenceDirectory, "batch-delete.txt")), "curl", fillIds: false);

        var output = await RunAsync("curl", snippet);

        Assert.Equal(400, (int)ParseLast(output)["statusCode"]!);
        Assert.Contains("\"field\":\"id\"", output, StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    private string Snippet(string page, string language, bool fillIds = true)
    {
        var pattern = language switch
        {
            "curl" => CurlSnippet(),
            "fetch" => FetchSnippet(),
            _ => RequestsSnippet(),
        };
        var snippet = pattern.Match(page).Value;
        Assert.False(string.IsNullOrEmpty(snippet), $"No {language} snippet on the page.");
        snippet = snippet
            .Replace("https://api.truto.one", _server.Url.ToString().TrimEnd('/'), StringComparison.Ordinal)
            .Replace("<your_api_token>", TestServer.EnvironmentToken, StringComparison.Ordinal)
            .Replace("<integrated_account_id>", _account, StringComparison.Ordinal)
            .Replace("{id}", "51", StringComparison.Ordinal);
        return fillIds ? snippet.Replace("\"id\": []", "\"id\": [\"51\", \"52\"]", StringComparison.Ordinal) : snippet;
    }

    private static async Task<string> RunAsync(string language, string snippet)
    {
        var (file, arguments) = language switch
        {
            "curl" => ("bash", new[] { "-c", snippet.Replace("curl ", "curl -sS ", StringComparison.Ordinal) }),
            "fetch" => ("node", new[] { "--input-type=module", "-e", snippet }),
            _ => ("python3", new[] { "-c", snippet }),
        };
        var start = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{language} exited {process.ExitCode}: {await error}");
        return await output;
    }

    /// <summary>
    /// What the snippet printed, as JSON: curl prints the body; Python prints the dict's repr
    /// (<c>{'id': '51'}</c>) and Node its inspection (<c>{ id: '51' }</c>), normalised here.
    /// </summary>
    private static JsonObject ParseLast(string output, string language = "curl")
    {
        var text = output.Trim();
        if (language == "requests")
        {
            text = text.Replace('\'', '"').Replace("True", "true", StringComparison.Ordinal).Replace("False", "false", StringComparison.Ordinal).Replace("None", "null", StringComparison.Ordinal);
        }
        else if (language == "fetch")
        {
            text = UnquotedKey().Replace(text, "$1\"$2\":").Replace('\'', '"');
        }
        return JsonNode.Parse(text)!.AsObject();
    }

    [GeneratedRegex(@"([{,]\s*)([A-Za-z_]\w*):")]
    private static partial Regex UnquotedKey();

    private static string Describe(ReceivedRequest request) => request.Method + " " + request.PathAndQuery;

    [GeneratedRegex(@"curl -X .*?(?=\n(const|import) )", RegexOptions.Singleline)]
    private static partial Regex CurlSnippet();

    [GeneratedRegex(@"const integratedAccountId.*?console\.log\(data\);", RegexOptions.Singleline)]
    private static partial Regex FetchSnippet();

    [GeneratedRegex(@"import requests.*?print\(response\.json\(\)\)", RegexOptions.Singleline)]
    private static partial Regex RequestsSnippet();

    public async Task InitializeAsync()
    {
        _provider = await ReplayServer.StartAsync();
        _server = await TestServer.StartAsync(_provider.AllowArgument());
        _account = await _server.CreateAccountAsync("hubspot", new JsonObject
        {
            ["base_url"] = _provider.Url.ToString(),
            ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "hubspot-token" } },
        });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
