using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Truto.Mappings.Generator.Tests.Infrastructure;

namespace Truto.Mappings.Generator.Tests.Emission;

/// <summary>
/// Adapter files name types through one alias table after the namespace, not a <c>global::</c>
/// name at every use; the aliases cannot clash with the adapters generated beside them.
/// </summary>
public sealed class AdapterAliasTests
{
    [Fact]
    public void Adapters_use_global_names_only_in_the_alias_table_and_the_few_lines_that_cannot_alias()
    {
        var adapters = GeneratorHarness.Run(GeneratorHarness.RealFiles()).Results[0].GeneratedSources
            .Where(s => s.HintName.EndsWith(".Contacts.g.cs", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(adapters);

        foreach (var adapter in adapters)
        {
            var lines = adapter.SourceText.ToString().Split('\n').Select(l => l.Trim()).ToList();
            var aliases = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && !l.StartsWith("using (", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(aliases);
            Assert.All(aliases, l => Assert.Matches(@"^using \w+ = global::[\w.]+(<byte>)?;$", l));
            // After the table: the GeneratedCode attribute and a Func signature (an alias cannot be an open generic).
            var others = lines.Where(l => l.Contains("global::", StringComparison.Ordinal) && !aliases.Contains(l)).ToList();
            Assert.All(others, l => Assert.True(
                l.StartsWith("[global::System.CodeDom.Compiler.GeneratedCode(", StringComparison.Ordinal) || l.Contains("(global::System.Func<string, string?> header,", StringComparison.Ordinal), adapter.HintName + ": " + l));
            // The namespace comes first, the aliases inside it.
            Assert.True(lines.IndexOf("namespace Truto.Mappings.Providers;") < lines.IndexOf(aliases[0]));
        }
    }

    [Fact]
    public void A_provider_file_named_after_the_adapter_base_class_compiles_beside_the_aliases()
    {
        // provider.yaml becomes ProviderAdapter, the runtime's base class name: its alias is AdapterBase,
        // since an alias may not share a name with a type of the namespace (CS0576).
        var provider = GeneratorHarness.MinimalProvider("provider", "Provider");
        var driver = GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), new YamlFile(GeneratorHarness.Root + "providers/provider.yaml", provider)], GeneratorHarness.StrictParseOptions);

        driver.RunGeneratorsAndUpdateCompilation(GeneratorHarness.StrictCompilation(), out var output, out ImmutableArray<Diagnostic> diagnostics);

        Assert.Empty(diagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        Assert.NotNull(output.GetTypeByMetadataName("Truto.Mappings.Providers.ProviderAdapter"));
    }
}
