using Truto.Mappings.Providers;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Tests;

/// <summary>
/// Adding a provider touches only <c>mappings/</c>, its fixtures, its simulator and refreshed
/// snapshots: no hand-written C# outside the sandbox names a provider of the catalog in code
/// (rules in <see cref="ProviderNameScanner"/>), and no test hard-codes the whole list of providers.
/// </summary>
public sealed class ProviderNameTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", ".."));

    private static readonly ProviderNameScanner Catalog = new(GeneratedProviders.All.Select(a => new ScannedProvider(a.Info.Name, a.Info.DisplayName)));

    private static readonly ProviderNameScanner Synthetic = new([new ScannedProvider("acme_crm", "Acme CRM"), new ScannedProvider("close", "Close")]);

    [Fact]
    public void No_hand_written_code_in_src_or_generators_names_a_provider_outside_the_sandbox()
    {
        var files = SourceFiles("src").Concat(SourceFiles("generators"))
            .Where(f => !f.StartsWith(Path.Combine(Root, "src", "Truto.Mappings.Sandbox") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToList();

        var hits = files.SelectMany(f => Catalog.Scan(Path.GetRelativePath(Root, f), File.ReadAllText(f))).ToList();

        Assert.True(files.Count > 100, $"Only {files.Count} files found under {Root}.");
        Assert.True(hits.Count == 0, "Provider names in hand-written C# (the YAML, the sandbox and tests are where they belong; comments may name them):\n" + string.Join("\n", hits));
    }

    [Fact]
    public void No_test_hard_codes_every_provider()
    {
        // Tests may name the providers whose behaviour they exercise; a list of all of them is one
        // that every new provider would have to extend: derive it from the catalog instead.
        var all = GeneratedProviders.All.Count;
        var listing = SourceFiles("tests")
            .Where(f => Catalog.ProvidersInLiterals(File.ReadAllText(f)).Count == all)
            .Select(f => Path.GetRelativePath(Root, f))
            .ToList();

        Assert.True(listing.Count == 0, $"These test files name all {all} providers; derive the list from ProviderCatalog / GeneratedProviders.All:\n" + string.Join("\n", listing));
    }

    [Theory]
    [InlineData("""var integration = "acme_crm";""")]
    [InlineData("""var help = "The provider, e.g. Acme CRM";""")]
    [InlineData("""var help = $"{x} for acme-crm accounts";""")]
    [InlineData("""var adapter = new AcmeCrmAdapter();""")]
    [InlineData("""bool isAcmeCrm = true;""")]
    [InlineData("""var integration = "close";""")]
    [InlineData("""sealed class CloseQuirks { }""")]
    [InlineData("""var adapter = typeof(CloseAdapter);""")]
    public void Code_naming_a_provider_is_found(string code)
        => Assert.NotEmpty(Synthetic.Scan("x.cs", $"class C {{ void M() {{ {code} }} }}"));

    [Theory]
    [InlineData("""// Acme CRM answers 200 with an error member.""")]
    [InlineData("""/// <summary>Pairs items with ids (Acme CRM).</summary>""")]
    [InlineData("""stream.Close();""")]
    [InlineData("""await socket.CloseAsync();""")]
    [InlineData("""var header = "Connection: close";""")]
    [InlineData("""// a known word is close to the one written""")]
    [InlineData("""var name = "acmecrmx";""")]
    public void Comments_and_ordinary_words_are_not_provider_names(string code)
        => Assert.Empty(Synthetic.Scan("x.cs", $"class C {{ void M() {{\n{code}\n}} }}"));

    private static IEnumerable<string> SourceFiles(string folder)
        => Directory.EnumerateFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));
}
