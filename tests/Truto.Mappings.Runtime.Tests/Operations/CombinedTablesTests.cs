using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Operations;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Runtime.Tests.Operations;

/// <summary>
/// Tables of several assemblies (the built-in providers' and a project's own) combined into one:
/// rows merged by resource and method, each provider once, a name taken twice refused by name.
/// </summary>
public sealed class CombinedTablesTests
{
    private static readonly UnifiedResource Resource = new("crm", "contacts", "", [], [],
    [
        new UnifiedMethod("delete", OperationShape.Single, "DELETE", "/unified/crm/contacts/{id}", "Delete", "", false, [], [], []),
        new UnifiedMethod("batch_delete", OperationShape.Batch, "POST", "/unified/crm/contacts/batch-delete", "Batch", "", true, [], [], []),
    ]);

    private static readonly OperationTable BuiltIn = new(
    [
        new UnifiedOperation(Resource, "delete", [TestDelete.Instance]),
        new UnifiedOperation(Resource, "batch_delete", [TestBatch.Instance]),
    ]);

    [Fact]
    public void Rows_of_the_same_method_hold_the_providers_of_every_table()
    {
        var project = new OperationTable([new UnifiedOperation(Resource, "delete", [NamedDelete.Acme]), new UnifiedOperation(Resource, "batch_delete", [])]);

        var combined = OperationTable.Combine([BuiltIn, project]);

        Assert.Equal(["delete", "batch_delete"], combined.Operations.Select(o => o.Name));
        Assert.Same(NamedDelete.Acme, combined.Find("contacts", "delete")!.For("acme"));
        Assert.Same(TestDelete.Instance, combined.Find("contacts", "delete")!.For("test"));
        Assert.Same(TestBatch.Instance, combined.Find("contacts", "batch_delete")!.For("test"));
        Assert.Equal(["acme", "test"], new ProviderCatalog(combined.Providers).Names);
    }

    [Fact]
    public void The_same_table_twice_gives_each_provider_once()
        => Assert.Same(TestProvider.Instance, Assert.Single(OperationTable.Combine([BuiltIn, BuiltIn]).Providers));

    [Fact]
    public void Two_providers_of_one_name_are_an_error_naming_both_types_and_their_assemblies()
    {
        var project = new OperationTable([new UnifiedOperation(Resource, "delete", [NamedDelete.ClashingTest])]);

        var error = Assert.Throws<InvalidOperationException>(() => OperationTable.Combine([BuiltIn, project]));

        Assert.Contains("Two providers are named 'test'", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(TestProvider).FullName + " in assembly Truto.Mappings.Runtime.Tests", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(NamedProvider).FullName + " in assembly Truto.Mappings.Runtime.Tests", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_catalog_refuses_two_adapters_of_one_name_too()
        => Assert.Contains("Two providers are named 'test'",
            Assert.Throws<InvalidOperationException>(() => new ProviderCatalog([TestProvider.Instance, NamedDelete.ClashingTest.Provider])).Message,
            StringComparison.Ordinal);

    /// <summary>A provider of any name, as another assembly's generated adapter would be.</summary>
    private sealed class NamedProvider(string name) : ProviderAdapter
    {
        public override ProviderInfo Info { get; } = new(name, name, null, [], []);

        public override string BuildBaseUrl(AccountContext context) => "https://" + name + ".example";

        public override void Authenticate(ProviderRequest request, AccountContext context)
        {
        }
    }

    private sealed class NamedDelete(NamedProvider provider) : SingleIdOperation
    {
        public static NamedDelete Acme { get; } = new(new NamedProvider("acme"));

        public static NamedDelete ClashingTest { get; } = new(new NamedProvider("test"));

        public override ProviderAdapter Provider => provider;

        public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]);

        public override void BuildRequest(ProviderRequest request, RequestValues values) => request.Path = "/contacts/" + values.Id;

        public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
    }
}
