using Truto.Mappings.Adapters;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Operations;

/// <summary>
/// Every unified operation with the providers that map it, generated from the schema and the
/// provider files (<c>GeneratedProviders.Operations</c>). The client, the meta endpoints, the docs
/// pages and the coverage reference all dispatch through it.
/// </summary>
public sealed class OperationTable
{
    /// <summary>The table of <paramref name="operations"/>, in the schema's order.</summary>
    public OperationTable(IEnumerable<UnifiedOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        Operations = operations.ToList();
        Providers = Operations.SelectMany(o => o.Providers).Select(p => p.Provider).Distinct().OrderBy(p => p.Info.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// One table of several: the built-in providers' (<c>Truto.Mappings.Providers.GeneratedProviders.Operations</c>)
    /// and a project's own (its <c>GeneratedProviders.Operations</c>, generated from its YAML). Rows
    /// of the same resource and method become one row with every table's providers; rows keep the
    /// first table's order, rows only a later table has follow.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two tables have different providers of the same integration name; the message names both assemblies.</exception>
    public static OperationTable Combine(IEnumerable<OperationTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        var list = tables.ToList();
        if (list.Count == 1)
        {
            return list[0];
        }
        // Checked before the rows are built, so a clash is this message and not a duplicate key.
        _ = ProviderCatalog.Distinct(list.SelectMany(t => t.Providers));
        var rows = list.SelectMany(t => t.Operations)
            .GroupBy(o => (o.Resource.Resource, o.Name))
            .Select(g => new UnifiedOperation(g.First().Resource, g.Key.Name, g.SelectMany(o => o.Providers).Distinct()));
        return new OperationTable(rows);
    }

    /// <summary>The operations, in the schema's order.</summary>
    public IReadOnlyList<UnifiedOperation> Operations { get; }

    /// <summary>Every provider that maps at least one operation, ordered by integration name.</summary>
    public IReadOnlyList<ProviderAdapter> Providers { get; }

    /// <summary>The resources that have operations, in order (each once).</summary>
    public IEnumerable<UnifiedResource> Resources => Operations.Select(o => o.Resource).Distinct();

    /// <summary>The operations of one resource.</summary>
    public IEnumerable<UnifiedOperation> Of(string resource) => Operations.Where(o => o.Resource.Resource == resource);

    /// <summary>The operation for a method of a resource, by its name (<c>batch_delete</c>) or URL slug (<c>batch-delete</c>); null when there is none.</summary>
    public UnifiedOperation? Find(string resource, string method)
        => Operations.FirstOrDefault(o => o.Resource.Resource == resource && OperationNames.Matches(o.Name, method));

    /// <summary>"delete and batch-delete": the slugs of a resource's operations, for messages.</summary>
    public string Describe(string resource)
    {
        var slugs = Of(resource).Select(o => o.Slug).ToList();
        return slugs.Count <= 1 ? string.Concat(slugs) : string.Join(", ", slugs.Take(slugs.Count - 1)) + " and " + slugs[^1];
    }
}
