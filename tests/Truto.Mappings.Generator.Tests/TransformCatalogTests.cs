using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Json;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The generator's side of the transform catalogue: the parser accepts what it lists, the emitter
/// calls what it names, and the format reference documents exactly it.
/// </summary>
public sealed class TransformCatalogTests
{
    private const string ProviderPath = GeneratorHarness.Root + "providers/transforms.yaml";

    private static readonly string Provider = GeneratorHarness.MinimalProvider("transforms", "Transforms", "      name: {path: $.a, transform: [TRANSFORMS]}\n");

    [Fact]
    public void Every_transform_of_the_catalogue_compiles_to_a_call_of_its_runtime_method()
    {
        var written = TransformCatalog.All.Select(t => t.Argument == TransformArgument.Text ? t.Name + "('; ')" : t.Name);

        var adapter = CompileStrictly(Provider.Replace("TRANSFORMS", string.Join(", ", written), StringComparison.Ordinal));

        Assert.All(TransformCatalog.All, t => Assert.Contains("MappingTransforms." + t.Method + "(", adapter, StringComparison.Ordinal));
        Assert.Contains("\"; \")", adapter, StringComparison.Ordinal);
    }

    [Fact]
    public void A_text_transform_written_without_its_argument_is_called_with_its_default()
    {
        var adapter = CompileStrictly(Provider.Replace("TRANSFORMS", "join", StringComparison.Ordinal));

        Assert.Matches(@"MappingTransforms\.Join\(.*MappedValue\.From\(.*\), "", ""\)", adapter);
    }

    [Fact]
    public void An_argument_to_a_transform_that_takes_none_is_TM0008_at_the_transform()
    {
        var result = GeneratorHarness.Run([GeneratorHarness.Schema(), new YamlFile(ProviderPath, Provider.Replace("TRANSFORMS", "trim, \"lowercase('x')\"", StringComparison.Ordinal))]);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("TM0008", diagnostic.Id);
        Assert.Equal("'contacts.delete.response.name.transform' must be 'lowercase' without an argument (it takes none), but found 'lowercase('x')'", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((16, 43), (span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1));
    }

    [Fact]
    public void The_format_reference_lists_exactly_the_catalogue_with_each_argument_as_declared()
    {
        var reference = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryMappings, "README.md"));
        var section = reference[reference.IndexOf("### Transforms", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n#", StringComparison.Ordinal)];

        // The first cell of each table row below the header: `name` or `name('sep')`.
        var documented = Regex.Matches(section, @"^\| `([a-z_]+)(\('[^']*'\))?` \|", RegexOptions.Multiline)
            .Select(m => (Name: m.Groups[1].Value, Argument: m.Groups[2].Success ? TransformArgument.Text : TransformArgument.None));

        Assert.Equal(TransformCatalog.All.Select(t => (t.Name, t.Argument)), documented);
    }

    [Fact]
    public void The_editor_schema_accepts_exactly_the_catalogue_with_each_argument_as_declared()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryMappings, "schema", "provider.schema.json")));
        var pattern = schema.RootElement.GetProperty("$defs").GetProperty("transform").GetProperty("pattern").GetString()!;

        // The alternation's words (the one-letter 's' of '\s' aside) are the catalogue's names.
        Assert.Equal(TransformCatalog.All.Select(t => t.Name).Order(StringComparer.Ordinal),
            Regex.Matches(pattern, "[a-z_]{2,}").Select(m => m.Value).Order(StringComparer.Ordinal));
        Assert.All(TransformCatalog.All, t =>
        {
            Assert.Equal(t.Argument == TransformArgument.None || t.DefaultArgument is not null, Regex.IsMatch(t.Name, pattern));
            Assert.Equal(t.Argument == TransformArgument.Text, Regex.IsMatch(t.Name + "(', ')", pattern));
        });
    }

    private static string CompileStrictly(string provider)
    {
        var driver = GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), new YamlFile(ProviderPath, provider)], GeneratorHarness.StrictParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        return driver.GetRunResult().Results[0].GeneratedSources.Single(s => s.HintName == "Transforms.Contacts.g.cs").SourceText.ToString();
    }
}
