using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests;

/// <summary>What the generator emits for the real mapping files: reviewed golden files, and strict compilation.</summary>
public sealed class GeneratedCodeTests
{
    private static readonly string BaselineDirectory = Path.Combine(Snapshot.SourceDirectory(), "Baselines");

    public static TheoryData<string> HintNames()
    {
        var data = new TheoryData<string>();
        foreach (var source in GeneratorHarness.Run(GeneratorHarness.RealFiles()).Results[0].GeneratedSources)
        {
            data.Add(source.HintName);
        }
        return data;
    }

    [Fact]
    public void The_real_mappings_produce_no_diagnostics_and_every_expected_file()
    {
        var result = GeneratorHarness.Run(GeneratorHarness.RealFiles()).Results[0];

        Assert.Empty(result.Diagnostics);
        Assert.Null(result.Exception);
        var providers = Directory.EnumerateFiles(Path.Combine(GeneratorHarness.RepositoryMappings, "providers"), "*.yaml").Count();
        Assert.Equal(providers + 3, result.GeneratedSources.Length);
        Assert.Contains(result.GeneratedSources, s => s.HintName == "GeneratedProviders.g.cs");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "Contact.g.cs");
        Assert.Contains(result.GeneratedSources, s => s.HintName == "ContactsSchema.g.cs");
    }

    [Theory]
    [MemberData(nameof(HintNames))]
    public void Generated_source_matches_its_golden_file(string hintName)
    {
        var source = GeneratorHarness.Run(GeneratorHarness.RealFiles()).Results[0].GeneratedSources.Single(s => s.HintName == hintName);

        Snapshot.Match(BaselineDirectory, hintName, "txt", source.SourceText.ToString());
    }

    [Fact]
    public void Generated_code_compiles_with_no_warning_at_the_strictest_level()
    {
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.RealFiles(), GeneratorHarness.StrictParseOptions);

        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out var generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

        Assert.Empty(generatorDiagnostics);
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(20)));
    }
}
