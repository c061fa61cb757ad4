extern alias runtime;

using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Truto.Mappings.Generator.Tests.Infrastructure;
using Truto.Mappings.Testing;
using OperationTable = runtime::Truto.Mappings.Operations.OperationTable;
using SingleIdOperation = runtime::Truto.Mappings.Adapters.SingleIdOperation;

namespace Truto.Mappings.Generator.Tests;

/// <summary>
/// Generated adapters, compiled and loaded: what a YAML declares is what the adapter does, also for
/// keys no shipped provider uses yet (gone codes, rate-limit codes, statuses by code).
/// </summary>
public sealed class GeneratedAdapterTests
{
    private static readonly string CasesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Cases");

    [Fact]
    public void Error_codes_declared_in_YAML_become_the_adapters_answers()
    {
        dynamic adapter = LoadAdapter("gone-codes", "Truto.Mappings.Providers.GoneCodesAdapter");
        using var body = JsonDocument.Parse("""{"error": {"code": "ALREADY_DELETED", "message": "Contact 5 was deleted already"}}""");

        Assert.True((bool)adapter.IsGoneCode("ALREADY_DELETED"));
        Assert.False((bool)adapter.IsGoneCode("NO_SUCH_CONTACT"));
        Assert.True((bool)adapter.IsRateLimitCode("SLOW_DOWN"));
        Assert.Equal(404, (int?)adapter.StatusForErrorCode("NO_SUCH_CONTACT"));
        Assert.Null((int?)adapter.StatusForErrorCode("ALREADY_DELETED"));
        Assert.Equal("ALREADY_DELETED", (string?)adapter.ReadErrorCode(body.RootElement));
        Assert.Equal("Contact 5 was deleted already", (string?)adapter.ReadErrorMessage(body.RootElement));
    }

    [Fact]
    public void A_provider_that_maps_only_delete_fills_only_the_delete_row_of_the_operation_table()
    {
        var assembly = Load("gone-codes");
        var table = (OperationTable)assembly.GetType("Truto.Mappings.Providers.GeneratedProviders", throwOnError: true)!.GetProperty("Operations")!.GetValue(null)!;

        Assert.Equal(["delete", "batch_delete"], table.Operations.Select(o => o.Name));
        var delete = Assert.Single(table.Find("contacts", "delete")!.Providers);
        Assert.Equal("Truto.Mappings.Providers.GoneCodesAdapter+Contacts+Delete", delete.GetType().FullName);
        Assert.IsAssignableFrom<SingleIdOperation>(delete);
        Assert.Equal("gone_example", delete.Provider.Info.Name);
        Assert.Empty(table.Find("contacts", "batch-delete")!.Providers);
        Assert.Equal(["delete"], delete.Provider.Info.Operations.Select(o => o.Method));
    }

    private static object LoadAdapter(string caseName, string typeName)
        => Load(caseName).GetType(typeName, throwOnError: true)!.GetProperty("Instance", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static Assembly Load(string caseName)
    {
        var file = new YamlFile(GeneratorHarness.Root + "providers/" + caseName + ".yaml", File.ReadAllText(Path.Combine(CasesDirectory, caseName + ".yaml")));
        GeneratorHarness.CreateDriver([GeneratorHarness.Schema(), file])
            .RunGeneratorsAndUpdateCompilation(GeneratorHarness.EmptyCompilation(), out var compilation, out var diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        var context = new AssemblyLoadContext("generated-" + caseName, isCollectible: true);
        image.Position = 0;
        return context.LoadFromStream(image);
    }
}
