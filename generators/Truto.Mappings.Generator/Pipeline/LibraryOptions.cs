using Microsoft.CodeAnalysis.Diagnostics;

namespace Truto.Mappings.Generator;

/// <summary>
/// Where the generator runs. In this repository's <c>Truto.Mappings</c> it emits the unified model
/// and <c>Truto.Mappings.Providers.GeneratedProviders</c>. In a project that references the
/// Truto.Mappings package (whose props set <c>TrutoMappingsLibrarySchema</c>), the model comes from
/// that package: the generator emits only the project's adapters and a registry in the project's
/// root namespace, so neither clashes with the package's types.
/// </summary>
internal sealed record LibraryOptions(bool LibrarySchema, string RegistryNamespace)
{
    public static LibraryOptions Default { get; } = new(false, Emission.ProviderEmitter.Namespace);

    public static LibraryOptions From(AnalyzerConfigOptions global)
    {
        if (!global.TryGetValue("build_property.TrutoMappingsLibrarySchema", out var value)
            || !string.Equals(value, "true", System.StringComparison.OrdinalIgnoreCase))
        {
            return Default;
        }
        var root = global.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns.Trim() : "TrutoMappingsProviders";
        return new(true, root);
    }
}
