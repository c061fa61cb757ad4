using Truto.Mappings.Operations;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Runtime.Tests.Operations;

/// <summary>The operation table: rows from the schema's methods, lookups by name or slug, and shape checks.</summary>
public sealed class OperationTableTests
{
    private static readonly UnifiedResource Resource = new("crm", "contacts", "", [], [],
    [
        new UnifiedMethod("delete", OperationShape.Single, "DELETE", "/unified/crm/contacts/{id}", "Delete", "", false, [], [], []),
        new UnifiedMethod("batch_delete", OperationShape.Batch, "POST", "/unified/crm/contacts/batch-delete", "Batch", "", true, [], [], []),
    ]);

    private static readonly OperationTable Table = new(
    [
        new UnifiedOperation(Resource, "delete", [TestDelete.Instance]),
        new UnifiedOperation(Resource, "batch_delete", [TestBatch.Instance]),
    ]);

    [Theory]
    [InlineData("batch_delete")]
    [InlineData("batch-delete")]
    public void A_method_is_found_by_its_name_or_its_slug(string method)
    {
        var operation = Table.Find("contacts", method)!;

        Assert.Equal(("batch_delete", "batch-delete", OperationShape.Batch, "POST"), (operation.Name, operation.Slug, operation.Shape, operation.Method.HttpMethod));
        Assert.Same(TestBatch.Instance, operation.For("test"));
    }

    [Theory]
    [InlineData("contacts", "batch_deletes")]
    [InlineData("contacts", "Batch-Delete")]
    [InlineData("accounts", "delete")]
    public void Anything_else_is_not_found(string resource, string method)
        => Assert.Null(Table.Find(resource, method));

    [Fact]
    public void A_provider_that_does_not_map_a_method_has_no_operation_for_it()
        => Assert.Null(Table.Find("contacts", "delete")!.For("other"));

    [Fact]
    public void The_providers_are_those_of_the_operations_each_once()
        => Assert.Same(TestProvider.Instance, Assert.Single(Table.Providers));

    [Fact]
    public void Messages_list_a_resources_methods_by_slug()
        => Assert.Equal("delete and batch-delete", Table.Describe("contacts"));

    [Fact]
    public void An_operation_whose_type_does_not_fit_the_methods_shape_is_rejected()
        => Assert.Throws<ArgumentException>(() => new UnifiedOperation(Resource, "delete", [TestBatch.Instance]));

    [Fact]
    public void A_method_the_schema_does_not_declare_is_rejected()
        => Assert.Throws<ArgumentException>(() => new UnifiedOperation(Resource, "update", []));
}
