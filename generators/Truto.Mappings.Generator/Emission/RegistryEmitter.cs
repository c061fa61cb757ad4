using System.Linq;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>A provider as the registry needs it: its integration name, file, and the methods it maps.</summary>
internal sealed record ProviderEntry(string Name, string FilePath, string Resource, EquatableArray<string> Methods)
{
    public string ClassName => ProviderEmitter.ClassName(FilePath);
}

/// <summary>
/// Emits <c>GeneratedProviders</c>: every adapter by integration name, and the operation table
/// (one row per schema method, with each provider's operation), with no reflection.
/// </summary>
internal static class RegistryEmitter
{
    public const string HintName = "GeneratedProviders.g.cs";

    private const string Operations = "global::Truto.Mappings.Operations";

    /// <param name="registryNamespace">Where <c>GeneratedProviders</c> goes: the adapters' namespace in this repository, a consumer's root namespace elsewhere (so it does not clash with the package's registry).</param>
    public static string Emit(EquatableArray<ProviderEntry> providers, SchemaMethods? schema, string registryNamespace = ProviderEmitter.Namespace)
    {
        var ordered = providers.OrderBy(p => p.Name, System.StringComparer.Ordinal).ToList();
        using var code = new CodeWriter("mappings/providers/*.yaml");
        code.Line($"namespace {registryNamespace};");
        code.Line();
        if (registryNamespace != ProviderEmitter.Namespace)
        {
            code.Line($"using {ProviderEmitter.Namespace};");
            code.Line();
        }
        code.Line("/// <summary>Every provider compiled from <c>mappings/providers/*.yaml</c>, by integration name, and the operations they map.</summary>");
        code.Line(CodeWriter.GeneratedCodeAttribute);
        code.Open("public static class GeneratedProviders");
        code.Line("/// <summary>The adapters, ordered by integration name.</summary>");
        code.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Truto.Mappings.Adapters.ProviderAdapter> All { get; } = new global::Truto.Mappings.Adapters.ProviderAdapter[]");
        code.Line("{");
        foreach (var provider in ordered)
        {
            code.Line($"    {provider.ClassName}.Instance,");
        }
        code.Line("};");
        code.Line();
        code.Line("/// <summary>The adapter for an integration name (case-sensitive, as accounts store it), or null.</summary>");
        code.Line("public static global::Truto.Mappings.Adapters.ProviderAdapter? Find(string? name) => name switch");
        code.Line("{");
        foreach (var provider in ordered)
        {
            code.Line($"    {CodeWriter.Literal(provider.Name)} => {provider.ClassName}.Instance,");
        }
        code.Line("    _ => null,");
        code.Line("};");
        code.Line();
        code.Line("/// <summary>");
        code.Line("/// The operation table: every method the unified schema declares (name, shape, HTTP method,");
        code.Line("/// route, title) with the operation of each provider that maps it. The runtime and the server");
        code.Line("/// dispatch through it.");
        code.Line("/// </summary>");
        if (schema is null || schema.Methods.Count == 0)
        {
            code.Line($"public static {Operations}.OperationTable Operations {{ get; }} = new(global::System.Array.Empty<{Operations}.UnifiedOperation>());");
        }
        else
        {
            code.Line($"public static {Operations}.OperationTable Operations {{ get; }} = new(new {Operations}.UnifiedOperation[]");
            code.Line("{");
            foreach (var method in schema.Methods)
            {
                var mapping = ordered.Where(p => p.Resource == schema.Resource && p.Methods.Contains(method)).ToList();
                var resource = $"global::{SchemaEmitter.Namespace}.{schema.MetadataClass}.Resource";
                if (mapping.Count == 0)
                {
                    code.Line($"    new({resource}, {CodeWriter.Literal(method)}, global::System.Array.Empty<global::Truto.Mappings.Adapters.ProviderOperation>()),");
                    continue;
                }
                code.Line($"    new({resource}, {CodeWriter.Literal(method)}, new global::Truto.Mappings.Adapters.ProviderOperation[]");
                code.Line("    {");
                foreach (var provider in mapping)
                {
                    code.Line($"        {ProviderEmitter.OperationTypeName(provider.FilePath, provider.Resource, method)}.Instance,");
                }
                code.Line("    }),");
            }
            code.Line("});");
        }
        code.Close();
        return code.ToString();
    }
}
