using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Emission;
using Truto.Mappings.Generator.Parsing;

namespace Truto.Mappings.Generator;

/// <summary>
/// Compiles <c>mappings/unified/crm/contacts.yaml</c> and <c>mappings/providers/*.yaml</c> into
/// the unified model, one adapter per provider and a registry. Every mistake in a file becomes a
/// diagnostic at its line and column; an unexpected exception becomes TM9999 at the file.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MappingsGenerator : IIncrementalGenerator
{
    private const string SchemaSuffix = "/unified/crm/contacts.yaml";
    private const string ProvidersFolder = "/providers/";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static file => IsYaml(file.Path))
            .Select(static (file, cancellationToken) => new MappingFile(file.Path, file.GetText(cancellationToken)?.ToString() ?? ""))
            .WithTrackingName(TrackingNames.Files);

        var schema = files
            .Where(static file => Normalize(file.Path).EndsWith(SchemaSuffix, System.StringComparison.Ordinal))
            .Collect()
            .Select(static (schemas, _) => ParseSchema(schemas))
            .WithTrackingName(TrackingNames.Schema);

        var providerFiles = files.Where(static file => Normalize(file.Path).Contains(ProvidersFolder));

        // Adapter and hint names come from file names, which two files can share once converted
        // (zendesk_sell.yaml, zendesk-sell.yml): the first path in ordinal order owns a name, so
        // hint names are unique by construction. Paths only, so editing a file leaves this cached.
        var owners = providerFiles
            .Select(static (file, _) => file.Path)
            .Collect()
            .Select(static (paths, _) => paths.OrderBy(p => p, System.StringComparer.Ordinal).ToEquatableArray());

        // Providers are checked against a projection of the schema (names, types, shapes): editing a
        // description or a method's documentation changes the schema step but not this one.
        var schemaForProviders = schema
            .Select(static (result, _) => SchemaForProviders.From(result))
            .WithTrackingName(TrackingNames.ProviderSchema);

        var parsed = providerFiles
            .Combine(schemaForProviders)
            .Select(static (pair, _) => ParseProvider(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.ProviderModels);

        // The adapter is emitted from the model alone; where 'name:' sits goes its own way, so a
        // line inserted above it re-runs the parse but leaves this step (and the emission) unchanged.
        var providers = parsed
            .Select(static (result, _) => result.Result)
            .WithTrackingName(TrackingNames.ProviderSources);

        var declarations = parsed
            .Select(static (result, _) => result.Result.Provider is { } p && result.NameLocation is { } location ? new ProviderDeclaration(p.Name, p.FilePath, location) : null)
            .Where(static declaration => declaration is not null)
            .Collect()
            .Select(static (list, _) => list.Select(d => d!).OrderBy(d => d.FilePath, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.ProviderDeclarations);

        var entries = providers
            .Select(static (result, _) => result.Provider is { } p ? new ProviderEntry(p.Name, p.FilePath, p.Resource, p.Methods.Select(m => m.Name).ToEquatableArray()) : null)
            .Where(static entry => entry is not null)
            .Collect()
            .Select(static (list, _) => list.Select(e => e!).OrderBy(e => e.FilePath, System.StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.AllProviders);

        // The table's rows are the schema's methods, so the registry also depends on the schema (its methods only).
        var methods = schema.Select(static (result, _) => result.Schema is { } s
            ? new SchemaMethods(s.Resource, SchemaEmitter.MetadataClass(s), s.Methods.Select(m => m.Name).ToEquatableArray())
            : null);

        var library = context.AnalyzerConfigOptionsProvider.Select(static (options, _) => LibraryOptions.From(options.GlobalOptions));

        context.RegisterSourceOutput(schema.Combine(library), static (output, pair) => EmitSchema(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(providers.Combine(owners), static (output, pair) => EmitProvider(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(declarations.Combine(owners), static (output, pair) => ReportDuplicateNames(output, pair.Left, pair.Right));
        context.RegisterSourceOutput(entries.Combine(owners).Combine(methods).Combine(library), static (output, pair) => EmitRegistry(output, pair.Left.Left.Left, pair.Left.Left.Right, pair.Left.Right, pair.Right));
    }

    private static bool IsYaml(string path)
        => path.EndsWith(".yaml", System.StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", System.StringComparison.OrdinalIgnoreCase);

    private static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>The schema from the first schema file in path order (the build's rule; the CLI's validator reuses it).</summary>
    internal static SchemaResult ParseSchema(ImmutableArray<MappingFile> schemas)
    {
        if (schemas.Length == 0)
        {
            return new SchemaResult(null, []);
        }
        var file = schemas.OrderBy(f => f.Path, System.StringComparer.Ordinal).First();
        try
        {
            var (spec, diagnostics) = SchemaFileParser.Parse(file.Path, file.Text);
            return new SchemaResult(spec, diagnostics);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            return new SchemaResult(null, Internal(file.Path, e));
        }
    }

    internal static ParsedProvider ParseProvider(MappingFile file, SchemaForProviders schema)
    {
        if (schema.Schema is null)
        {
            // Without a valid schema nothing can be checked; a broken schema reports its own errors.
            EquatableArray<DiagnosticInfo> missing = schema.Missing
                ? new EquatableArray<DiagnosticInfo>([DiagnosticInfo.Create(DiagnosticDescriptors.MissingSchema, LocationInfo.FileStart(file.Path), System.IO.Path.GetFileName(file.Path))])
                : [];
            return new ParsedProvider(new ProviderResult(file.Path, null, missing), null);
        }
        try
        {
            var (provider, diagnostics, nameLocation) = ProviderFileParser.Parse(file.Path, file.Text, schema.Schema);
            return new ParsedProvider(new ProviderResult(file.Path, provider, diagnostics), nameLocation);
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            return new ParsedProvider(new ProviderResult(file.Path, null, Internal(file.Path, e)), null);
        }
    }

    private static EquatableArray<DiagnosticInfo> Internal(string path, System.Exception e)
        => new([DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.FileStart(path), e.GetType().Name + ": " + e.Message)]);

    private static void EmitSchema(SourceProductionContext output, SchemaResult result, LibraryOptions library)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        // The package's schema is only for checking: its model is compiled into Truto.Mappings.dll.
        if (result.Schema is { } schema && !library.LibrarySchema)
        {
            Guard(output, schema.FilePath, () =>
            {
                output.AddSource(SchemaEmitter.ModelHintName(schema), SourceText.From(SchemaEmitter.EmitModel(schema), System.Text.Encoding.UTF8));
                output.AddSource(SchemaEmitter.MetadataHintName(schema), SourceText.From(SchemaEmitter.EmitMetadata(schema), System.Text.Encoding.UTF8));
            });
        }
    }

    private static void EmitProvider(SourceProductionContext output, ProviderResult result, EquatableArray<string> owners)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
        if (NameCollision(result.FilePath, owners) is { } collision)
        {
            output.ReportDiagnostic(collision.ToDiagnostic());
            return;
        }
        if (result.Provider is { } provider)
        {
            Guard(output, provider.FilePath, () =>
                output.AddSource(ProviderEmitter.HintName(provider), SourceText.From(ProviderEmitter.Emit(provider), System.Text.Encoding.UTF8)));
        }
    }

    /// <summary>TM0017 when the adapter name of <paramref name="filePath"/> is owned by an earlier file; null when it owns it.</summary>
    internal static DiagnosticInfo? NameCollision(string filePath, EquatableArray<string> owners)
    {
        var owner = OwnerOf(filePath, owners);
        return owner == filePath
            ? null
            : DiagnosticInfo.Create(DiagnosticDescriptors.NameCollision, LocationInfo.FileStart(filePath),
                ProviderEmitter.SourceName(filePath), ProviderEmitter.ClassName(filePath), "'" + ProviderEmitter.SourceName(owner) + "'");
    }

    /// <summary>The file that owns the adapter name of <paramref name="filePath"/>: the first with that name, ignoring case as hint names do.</summary>
    private static string OwnerOf(string filePath, EquatableArray<string> owners)
    {
        var className = ProviderEmitter.ClassName(filePath);
        return owners.FirstOrDefault(p => string.Equals(ProviderEmitter.ClassName(p), className, System.StringComparison.OrdinalIgnoreCase)) ?? filePath;
    }

    /// <summary>TM0009 at every later file declaring a name an earlier file (in path order) declares.</summary>
    private static void ReportDuplicateNames(SourceProductionContext output, EquatableArray<ProviderDeclaration> declarations, EquatableArray<string> owners)
    {
        foreach (var diagnostic in DuplicateNames(declarations, owners))
        {
            output.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }

    /// <summary>TM0009 for every later file declaring a name an earlier file (in path order) declares.</summary>
    internal static System.Collections.Generic.IEnumerable<DiagnosticInfo> DuplicateNames(EquatableArray<ProviderDeclaration> declarations, EquatableArray<string> owners)
    {
        var seen = new System.Collections.Generic.Dictionary<string, ProviderDeclaration>(System.StringComparer.Ordinal);
        foreach (var declaration in declarations.Where(d => OwnerOf(d.FilePath, owners) == d.FilePath))
        {
            if (seen.TryGetValue(declaration.Name, out var first))
            {
                yield return DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateProvider, declaration.Location, declaration.Name, ProviderEmitter.SourceName(first.FilePath));
                continue;
            }
            seen.Add(declaration.Name, declaration);
        }
    }

    /// <summary>The registry of every adapter: the first file (in path order) declaring a name owns it, as <see cref="ReportDuplicateNames"/> reports.</summary>
    private static void EmitRegistry(SourceProductionContext output, EquatableArray<ProviderEntry> entries, EquatableArray<string> owners, SchemaMethods? schema, LibraryOptions library)
    {
        var unique = new System.Collections.Generic.List<ProviderEntry>();
        var seen = new System.Collections.Generic.HashSet<string>(System.StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => OwnerOf(e.FilePath, owners) == e.FilePath))
        {
            if (seen.Add(entry.Name))
            {
                unique.Add(entry);
            }
        }
        Guard(output, owners.Count > 0 ? owners[0] : ProvidersFolder, () =>
            output.AddSource(RegistryEmitter.HintName, SourceText.From(RegistryEmitter.Emit(unique.ToEquatableArray(), schema, library.RegistryNamespace), System.Text.Encoding.UTF8)));
    }

    private static void Guard(SourceProductionContext output, string filePath, System.Action emit)
    {
        try
        {
            emit();
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            foreach (var diagnostic in Internal(filePath, e))
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        }
    }
}
