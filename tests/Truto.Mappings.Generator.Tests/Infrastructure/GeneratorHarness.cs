using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Generator.Tests.Infrastructure;

/// <summary>A YAML file as the compiler hands it to the generator.</summary>
internal sealed class YamlFile(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public string Text { get; } = text;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(Text);
}

/// <summary>Runs the real generator through <see cref="CSharpGeneratorDriver"/> over YAML files.</summary>
internal static class GeneratorHarness
{
    /// <summary>Where mapping files appear to live, so output does not depend on this machine.</summary>
    public const string Root = "/repo/mappings/";

    public static readonly string RepositoryMappings = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "..", "mappings"));

    public static YamlFile Schema() => new(Root + "unified/crm/contacts.yaml", File.ReadAllText(Path.Combine(RepositoryMappings, "unified", "crm", "contacts.yaml")));

    public static YamlFile Provider(string name) => new(Root + "providers/" + name + ".yaml", File.ReadAllText(Path.Combine(RepositoryMappings, "providers", name + ".yaml")));

    /// <summary>
    /// The smallest valid provider file (bearer auth, one delete that maps the id), for tests that
    /// change one thing about it; <paramref name="responseLines"/> are added under <c>response:</c>.
    /// </summary>
    public static string MinimalProvider(string name, string displayName, string responseLines = "")
        => $$$"""
            name: {{{name}}}
            display_name: {{{displayName}}}
            base_url: https://api.example.com
            hosts: [api.example.com]
            context:
              token: {label: Token, secret: true}
            auth:
              type: bearer
              token: "{{context.token}}"
            contacts:
              delete:
                method: DELETE
                path: /contacts/{{id}}
                response:
                  id: "{{id}}"

            """ + responseLines;

    public static IReadOnlyList<YamlFile> RealFiles()
        => [Schema(), .. Directory.EnumerateFiles(Path.Combine(RepositoryMappings, "providers"), "*.yaml").Order(StringComparer.Ordinal).Select(f => Provider(Path.GetFileNameWithoutExtension(f)))];

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> files, CSharpParseOptions? parseOptions = null)
        => CSharpGeneratorDriver.Create(
            [new MappingsGenerator().AsSourceGenerator()],
            additionalTexts: files.ToImmutableArray(),
            parseOptions: parseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Generated code parsed as a project with XML docs parses it: malformed doc comments are diagnostics.</summary>
    public static CSharpParseOptions StrictParseOptions { get; } = CSharpParseOptions.Default.WithDocumentationMode(DocumentationMode.Diagnose);

    /// <summary>An empty compilation that reports every warning, at the highest level, as an error.</summary>
    public static CSharpCompilation StrictCompilation()
        => EmptyCompilation().WithOptions(new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            warningLevel: 9999,
            generalDiagnosticOption: ReportDiagnostic.Error));

    public static CSharpCompilation EmptyCompilation()
        => CSharpCompilation.Create("Consumer", [], References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriverRunResult Run(IEnumerable<AdditionalText> files)
        => CreateDriver(files).RunGenerators(EmptyCompilation()).GetRunResult();

    /// <summary>
    /// One provider file through the real generator, compiled without any diagnostic and loaded into a
    /// collectible context: its adapter's <c>Instance</c> (a runtime <c>ProviderAdapter</c>, typed here as
    /// object because this file does not see the runtime's extern alias).
    /// </summary>
    public static object CompileAdapter(string path, string provider, string adapterType)
    {
        CreateDriver([Schema(), new YamlFile(path, provider)], StrictParseOptions)
            .RunGeneratorsAndUpdateCompilation(StrictCompilation(), out var compilation, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning)));
        image.Position = 0;
        var assembly = new AssemblyLoadContext(adapterType, isCollectible: true).LoadFromStream(image);
        return assembly.GetType("Truto.Mappings.Providers." + adapterType, throwOnError: true)!
            .GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
    }

    /// <summary>The framework and the runtime, which generated code calls.</summary>
    public static IReadOnlyList<MetadataReference> References()
        => ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll" or "Truto.Mappings.Runtime.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
}
