using Truto.Mappings.Adapters;
using Truto.Mappings.Providers;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Tests;

/// <summary>The generated operation table agrees with the schema and with every provider's own info.</summary>
public sealed class GeneratedOperationTableTests
{
    [Fact]
    public void There_is_one_row_per_schema_method_in_the_schemas_order_with_its_shape()
        => Assert.Equal(
            ContactsSchema.Resource.Methods.Select(m => (m.Name, m.Shape)),
            GeneratedProviders.Operations.Operations.Select(o => (o.Name, o.Shape)));

    [Fact]
    public void Every_provider_appears_in_exactly_the_rows_its_info_lists()
    {
        foreach (var adapter in GeneratedProviders.All)
        {
            var rows = GeneratedProviders.Operations.Operations.Where(o => o.For(adapter.Info.Name) is not null).Select(o => o.Name);
            Assert.Equal(adapter.Info.Operations.Select(i => i.Method), rows);
        }
    }

    [Fact]
    public void Each_operation_belongs_to_its_provider_and_describes_its_own_row()
    {
        foreach (var row in GeneratedProviders.Operations.Operations)
        {
            Assert.All(row.Providers, operation =>
            {
                Assert.Same(GeneratedProviders.Find(operation.Provider.Info.Name), operation.Provider);
                Assert.Equal(("contacts", row.Name), (operation.Info.Resource, operation.Info.Method));
            });
        }
    }

    [Fact]
    public void A_fan_out_sends_each_id_through_its_providers_delete()
    {
        var batches = GeneratedProviders.Operations.Find("contacts", "batch_delete")!.Providers;

        Assert.All(batches.OfType<FanOutOperation>(), f =>
        {
            Assert.Same(GeneratedProviders.Operations.Find("contacts", "delete")!.For(f.Provider.Info.Name), f.PerId);
            Assert.Equal((BatchStrategy.FanOut, 1), (f.Info.Strategy, f.IdsPerCall));
        });
        Assert.Contains(batches, b => b is FanOutOperation);
        Assert.Contains(batches, b => b is not FanOutOperation);
    }
}
