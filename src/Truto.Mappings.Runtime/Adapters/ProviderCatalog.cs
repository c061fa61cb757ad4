namespace Truto.Mappings.Adapters;

/// <summary>The providers the runtime can talk to, by integration name.</summary>
public sealed class ProviderCatalog
{
    private readonly Dictionary<string, ProviderAdapter> _byName;

    /// <summary>Creates the catalogue from adapters (the generated <c>GeneratedProviders.All</c>).</summary>
    public ProviderCatalog(IEnumerable<ProviderAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        All = adapters.OrderBy(a => a.Info.Name, StringComparer.Ordinal).ToList();
        _byName = All.ToDictionary(a => a.Info.Name, StringComparer.Ordinal);
    }

    /// <summary>Every adapter, ordered by name.</summary>
    public IReadOnlyList<ProviderAdapter> All { get; }

    /// <summary>The integration names, ordered.</summary>
    public IEnumerable<string> Names => All.Select(a => a.Info.Name);

    /// <summary>The adapter for an integration name, or null.</summary>
    public ProviderAdapter? Find(string? name) => name is not null && _byName.TryGetValue(name, out var adapter) ? adapter : null;
}
