using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Interpreter.Loading;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Cli.Tests;

/// <summary>
/// <c>explain</c>: the requests the runtime builds for an account, caught before the network, as
/// golden files (<c>Snapshots/explain.*.verified.txt</c>), and no secret of any provider's account shown.
/// </summary>
public sealed class ExplainTests
{
    private static readonly string Snapshots = Path.Combine(Snapshot.SourceDirectory(), "Snapshots");

    public static TheoryData<string, string[]> Cases() => new()
    {
        // A native batch (bearer token masked), and the same past max_ids: two chunks.
        { "hubspot.batch-delete", ["hubspot", "batch-delete", "51", "52", "53"] },
        { "hubspot.batch-delete.chunked", ["hubspot", "batch-delete", .. Enumerable.Range(1, 101).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))] },
        // A fan-out: one call per id, the concurrency said.
        { "capsule.batch-delete", ["capsule", "batch-delete", "11587", "11588"] },
        // An API key in a header and a subdomain from the context.
        { "pipedrive.delete", ["pipedrive", "delete", "123"] },
        // Ids joined into the query; the instance URL from the context.
        { "salesforce.batch-delete", ["salesforce", "batch-delete", "003Hs00000AbCdEIAZ", "003Hs00000AbCdGIAZ"] },
        // Several rate windows, one of them shared by every account of the app: each is named.
        { "keap.delete", ["keap", "delete", "42"] },
        // A multipart/mixed batch: one application/http part per id, on the call's base path.
        { "dynamics365.batch-delete", ["dynamics365", "batch-delete", "3f2c1a9e-5d36-4f0b-a36e-000d3a1b2c3f", "7b9e2d41-0c8a-4e6f-9d12-000d3a1b2c40"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Explain_prints_the_requests_the_runtime_would_send(string name, string[] call)
    {
        var run = await Explain(call[0], call[1..]);

        Assert.Equal(0, run.ExitCode);
        Snapshot.Match(Snapshots, "explain." + name, "txt", WithoutBoundary(run.Output));
    }

    /// <summary>A multipart body's boundary is random per call: the snapshot shows where it goes, not its value.</summary>
    private static string WithoutBoundary(string output)
        => Regex.Match(output, "boundary=\"(?<b>[^\"]+)\"") is { Success: true } match
            ? output.Replace(match.Groups["b"].Value, "{boundary}", StringComparison.Ordinal)
            : output;

    [Fact]
    public async Task An_id_the_pattern_refuses_sends_nothing_and_says_why()
    {
        var run = await Explain("capsule", ["delete", "not-a-number"]);

        Assert.Equal(1, run.ExitCode);
        Snapshot.Match(Snapshots, "explain.capsule.refused", "txt", run.Output);
    }

    /// <summary>
    /// <c>| number</c> shows as the number the body sends (<c>"id":102</c>, <c>"ids":[102,103]</c>),
    /// and '??' picks the chain's second key and the default, through the test provider of
    /// Truto.Mappings.Tests (<c>TemplateFeatures/providers/typedcrm.yaml</c>) in a folder beside the real schema.
    /// </summary>
    [Fact]
    public async Task Numbers_in_a_body_show_as_numbers()
    {
        var features = Path.Combine(CliRun.Repository, "tests", "Truto.Mappings.Tests", "TemplateFeatures");
        var folder = Directory.CreateTempSubdirectory("truto-explain-");
        try
        {
            var schema = Path.Combine(folder.FullName, "unified", "crm");
            Directory.CreateDirectory(schema);
            Directory.CreateDirectory(Path.Combine(folder.FullName, "providers"));
            File.Copy(Path.Combine(CliRun.Mappings, "unified", "crm", "contacts.yaml"), Path.Combine(schema, "contacts.yaml"));
            File.Copy(Path.Combine(features, "providers", "typedcrm.yaml"), Path.Combine(folder.FullName, "providers", "typedcrm.yaml"));

            var run = await CliRun.RunAsync(["explain", "typedcrm", "--folder", folder.FullName, "--account", Path.Combine(features, "typedcrm", "account.json"), "batch-delete", "102", "103"]);

            Assert.Equal(0, run.ExitCode);
            Assert.Contains("""{"ids":[102,103],"items":[{"id":102},{"id":103}]}""", run.Output, StringComparison.Ordinal);
            Snapshot.Match(Snapshots, "explain.typedcrm.batch-delete", "txt", run.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    public static TheoryData<string> Providers()
        => [.. Directory.EnumerateDirectories(CliRun.Fixtures).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task No_secret_of_the_account_is_printed(string provider)
    {
        var id = FixtureId(provider);
        var context = AccountContext.Parse(await File.ReadAllTextAsync(Path.Combine(CliRun.Fixtures, provider, "account.json")));
        var adapter = MappingFiles.Load(Path.Combine(CliRun.Mappings, "unified", "crm", "contacts.yaml"), [Path.Combine(CliRun.Mappings, "providers", provider + ".yaml")]).Adapters.Single();
        var secrets = adapter.Info.Context.Where(k => k.Secret).Select(k => context.Find(k.Name)).OfType<string>().ToList();

        var run = await Explain(provider, ["delete", id]);

        Assert.Equal(0, run.ExitCode);
        Assert.NotEmpty(secrets);
        Assert.Contains("***", run.Output, StringComparison.Ordinal);
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, run.Output, StringComparison.Ordinal));
    }

    private static Task<CliRun> Explain(string provider, string[] call)
        => CliRun.RunAsync(["explain", provider, "--folder", CliRun.Mappings, "--account", Path.Combine(CliRun.Fixtures, provider, "account.json"), .. call]);

    /// <summary>The id of the provider's first single delete fixture: one its id pattern accepts.</summary>
    private static string FixtureId(string provider)
        => Directory.EnumerateFiles(Path.Combine(CliRun.Fixtures, provider), "delete.*.json")
            .Where(f => !f.Contains(".verified.", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (string?)JsonNode.Parse(File.ReadAllText(f))!["call"]!["id"])
            .First(i => i is not null)!;
}
