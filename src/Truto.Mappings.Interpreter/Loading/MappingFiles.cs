extern alias generator;

using System.Collections.Immutable;
using System.Globalization;
using generator::Truto.Mappings.Expressions;
using generator::Truto.Mappings.Generator;
using generator::Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Interpreter.Adapters;

namespace Truto.Mappings.Interpreter.Loading;

/// <summary>What loading mapping files gives: every diagnostic the build would report, and an adapter for each valid provider file.</summary>
/// <param name="Diagnostics">The diagnostics, by file, line and column.</param>
/// <param name="Adapters">The interpreted adapters of the provider files without errors, by file.</param>
public sealed record MappingLoad(IReadOnlyList<MappingDiagnostic> Diagnostics, IReadOnlyList<InterpretedAdapter> Adapters)
{
    /// <summary>True when any diagnostic is an error (the build would fail).</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Reads provider files with the generator's own pipeline steps — the schema parse, each provider's
/// parse and validation against it, the generated-name and duplicate-name checks — without
/// emitting or compiling anything, and builds an interpreted adapter for each valid file.
/// </summary>
public static class MappingFiles
{
    /// <summary>Loads <paramref name="providerPaths"/> against the schema file at <paramref name="schemaPath"/>.</summary>
    /// <param name="schemaPath">The unified schema (<c>mappings/unified/crm/contacts.yaml</c>); when it does not exist, every provider reports TM0012 as in the build.</param>
    /// <param name="providerPaths">Provider files (<c>mappings/providers/*.yaml</c>); diagnostics name them as given here.</param>
    public static MappingLoad Load(string schemaPath, IEnumerable<string> providerPaths)
    {
        ArgumentNullException.ThrowIfNull(schemaPath);
        ArgumentNullException.ThrowIfNull(providerPaths);
        // The generator sees full paths (MSBuild gives them), and adapter names come from them; people read the paths they typed.
        var shown = new Dictionary<string, string>(StringComparer.Ordinal) { [Full(schemaPath)] = schemaPath };
        foreach (var path in providerPaths)
        {
            shown.TryAdd(Full(path), path);
        }
        // No schema file is what the build sees without one: TM0012 at every provider.
        var schema = MappingsGenerator.ParseSchema(File.Exists(schemaPath) ? [new MappingFile(Full(schemaPath), File.ReadAllText(schemaPath))] : []);
        var forProviders = SchemaForProviders.From(schema);
        var files = shown.Keys.Where(p => p != Full(schemaPath)).Order(StringComparer.Ordinal).ToList();
        var owners = files.ToEquatableArray();

        var diagnostics = new List<DiagnosticInfo>(schema.Diagnostics);
        var declarations = new List<ProviderDeclaration>();
        var adapters = new List<InterpretedAdapter>();
        foreach (var file in files)
        {
            var parsed = MappingsGenerator.ParseProvider(new MappingFile(file, File.ReadAllText(file)), forProviders);
            diagnostics.AddRange(parsed.Result.Diagnostics);
            if (MappingsGenerator.NameCollision(file, owners) is { } collision)
            {
                diagnostics.Add(collision);
                continue;
            }
            if (parsed.Result.Provider is { } provider)
            {
                if (parsed.NameLocation is { } location)
                {
                    declarations.Add(new ProviderDeclaration(provider.Name, provider.FilePath, location));
                }
                adapters.Add(new InterpretedAdapter(provider));
            }
        }
        var duplicates = MappingsGenerator.DuplicateNames(declarations.ToEquatableArray(), owners).ToList();
        diagnostics.AddRange(duplicates);
        // The build keeps the first file of a name (in path order) and reports the later ones.
        var later = duplicates.Select(d => d.Location.FilePath).ToHashSet(StringComparer.Ordinal);
        return new MappingLoad(
            [.. diagnostics.Select(d => Describe(d, shown)).OrderBy(d => d.FilePath, StringComparer.Ordinal).ThenBy(d => d.Line).ThenBy(d => d.Column)],
            [.. adapters.Where(a => !later.Contains(a.FilePath))]);
    }

    private static string Full(string path) => Path.GetFullPath(path);

    private static MappingDiagnostic Describe(DiagnosticInfo info, Dictionary<string, string> shown)
    {
        var diagnostic = info.ToDiagnostic();
        var start = info.Location.LineSpan.Start;
        return new MappingDiagnostic(
            diagnostic.Id,
            diagnostic.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error,
            shown.GetValueOrDefault(info.Location.FilePath, info.Location.FilePath),
            start.Line + 1,
            start.Character + 1,
            diagnostic.GetMessage(CultureInfo.InvariantCulture));
    }
}
