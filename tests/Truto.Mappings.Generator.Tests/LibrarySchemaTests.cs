using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// The generator in a project that references the Truto.Mappings package (its props set
/// <c>TrutoMappingsLibrarySchema</c>): the package's schema checks the project's files but its model
/// is not emitted again, and the registry goes to the project's root namespace, so the project
/// compiles against the package's model without a clash.
/// </summary>
public sealed class LibrarySchemaTests
{
    private static readonly YamlFile Acme = new(GeneratorHarness.Root + "providers/acme.yaml", GeneratorHarness.MinimalProvider("acme", "Acme CRM"));

    [Fact]
    public void Only_the_projects_adapters_and_a_registry_in_its_root_namespace_are_generated()
    {
        var result = Run(Library("Acme.Crm"), [GeneratorHarness.Schema(), Acme]);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["Acme.Contacts.g.cs", "GeneratedProviders.g.cs"], result.Results[0].GeneratedSources.Select(s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Contains("namespace Acme.Crm;", result.Results[0].GeneratedSources.Single(s => s.HintName == "GeneratedProviders.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_mistake_in_the_projects_file_is_reported_against_the_packages_schema()
    {
        var broken = new YamlFile(Acme.Path, Acme.Text.Replace("    method: DELETE", "    methd: DELETE", StringComparison.Ordinal));

        var result = Run(Library("Acme.Crm"), [GeneratorHarness.Schema(), broken]);

        Assert.Contains(result.Diagnostics, d => d.Id == "TM0002" && d.Location.GetLineSpan().StartLinePosition.Line == 11);
    }

    [Fact]
    public void The_output_compiles_against_the_model_of_a_referenced_library()
    {
        // The package's Truto.Mappings.dll, as far as the model goes: the schema compiled on its own.
        var model = Compile("Truto.Mappings", Run(Options.Empty, [GeneratorHarness.Schema()]), []);
        var project = Run(Library("Acme.Crm"), [GeneratorHarness.Schema(), Acme]);

        var diagnostics = CompileDiagnostics("Acme.Crm", project, [model]);

        Assert.Empty(diagnostics);
    }

    private static Options Library(string rootNamespace) => new(new Dictionary<string, string>
    {
        ["build_property.TrutoMappingsLibrarySchema"] = "true",
        ["build_property.RootNamespace"] = rootNamespace,
    });

    private static GeneratorDriverRunResult Run(Options options, IEnumerable<AdditionalText> files)
        => CSharpGeneratorDriver.Create([new MappingsGenerator().AsSourceGenerator()], additionalTexts: files.ToImmutableArray(), optionsProvider: new OptionsProvider(options))
            .RunGenerators(GeneratorHarness.EmptyCompilation())
            .GetRunResult();

    private static PortableExecutableReference Compile(string name, GeneratorDriverRunResult run, IEnumerable<MetadataReference> references)
    {
        var compilation = Compilation(name, run, references);
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }

    private static IEnumerable<Diagnostic> CompileDiagnostics(string name, GeneratorDriverRunResult run, IEnumerable<MetadataReference> references)
        => Compilation(name, run, references).GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning);

    private static CSharpCompilation Compilation(string name, GeneratorDriverRunResult run, IEnumerable<MetadataReference> references)
        => GeneratorHarness.StrictCompilation()
            .WithAssemblyName(name)
            .AddReferences(references)
            .AddSyntaxTrees(run.GeneratedTrees);

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static Options Empty { get; } = new([]);

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }

    private sealed class OptionsProvider(Options global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;
    }
}
