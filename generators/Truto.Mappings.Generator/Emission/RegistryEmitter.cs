using System.Linq;
using Truto.Mappings.Expressions;

namespace Truto.Mappings.Generator.Emission;

/// <summary>A provider as the registry needs it: its integration name and adapter class.</summary>
internal sealed record ProviderEntry(string Name, string ClassName);

/// <summary>Emits <c>GeneratedProviders</c>: every adapter by integration name, with no reflection.</summary>
internal static class RegistryEmitter
{
    public const string HintName = "GeneratedProviders.g.cs";

    public static string Emit(EquatableArray<ProviderEntry> providers)
    {
        using var code = new CodeWriter("mappings/providers/*.yaml");
        code.Line($"namespace {ProviderEmitter.Namespace};");
        code.Line();
        code.Line("/// <summary>Every provider compiled from <c>mappings/providers/*.yaml</c>, by integration name.</summary>");
        code.Line(CodeWriter.GeneratedCodeAttribute);
        code.Open("public static class GeneratedProviders");
        code.Line("/// <summary>The adapters, ordered by integration name.</summary>");
        code.Line("public static global::System.Collections.Generic.IReadOnlyList<global::Truto.Mappings.Adapters.ProviderAdapter> All { get; } = new global::Truto.Mappings.Adapters.ProviderAdapter[]");
        code.Line("{");
        foreach (var provider in providers.OrderBy(p => p.Name, System.StringComparer.Ordinal))
        {
            code.Line($"    {provider.ClassName}.Instance,");
        }
        code.Line("};");
        code.Line();
        code.Line("/// <summary>The adapter for an integration name (case-sensitive, as accounts store it), or null.</summary>");
        code.Line("public static global::Truto.Mappings.Adapters.ProviderAdapter? Find(string? name) => name switch");
        code.Line("{");
        foreach (var provider in providers.OrderBy(p => p.Name, System.StringComparer.Ordinal))
        {
            code.Line($"    {CodeWriter.Literal(provider.Name)} => {provider.ClassName}.Instance,");
        }
        code.Line("    _ => null,");
        code.Line("};");
        code.Close();
        return code.ToString();
    }
}
