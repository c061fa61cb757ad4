namespace Truto.Mappings.Adapters;

/// <summary>The providers the runtime can talk to, by integration name.</summary>
public sealed class ProviderCatalog
{
    private readonly Dictionary<string, ProviderAdapter> _byName;

    /// <summary>
    /// Creates the catalogue from adapters: the generated <c>GeneratedProviders.All</c> of one
    /// assembly, or of several (the built-in providers and a project's own) together.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two adapters have the same integration name; the message names both types and their assemblies.</exception>
    public ProviderCatalog(IEnumerable<ProviderAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        All = Distinct(adapters).OrderBy(a => a.Info.Name, StringComparer.Ordinal).ToList();
        _byName = All.ToDictionary(a => a.Info.Name, StringComparer.Ordinal);
    }

    /// <summary>Every adapter, ordered by name.</summary>
    public IReadOnlyList<ProviderAdapter> All { get; }

    /// <summary>The integration names, ordered.</summary>
    public IEnumerable<string> Names => All.Select(a => a.Info.Name);

    /// <summary>The adapter for an integration name, or null.</summary>
    public ProviderAdapter? Find(string? name) => name is not null && _byName.TryGetValue(name, out var adapter) ? adapter : null;

    /// <summary>
    /// Each adapter once (the same instance may come from several tables); a second adapter with
    /// a name already taken is an error: accounts name their provider, so one name must mean one adapter.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two adapters share an integration name.</exception>
    internal static List<ProviderAdapter> Distinct(IEnumerable<ProviderAdapter> adapters)
    {
        var byName = new Dictionary<string, ProviderAdapter>(StringComparer.Ordinal);
        foreach (var adapter in adapters)
        {
            if (!byName.TryGetValue(adapter.Info.Name, out var first))
            {
                byName.Add(adapter.Info.Name, adapter);
            }
            else if (!ReferenceEquals(first, adapter))
            {
                throw new InvalidOperationException(
                    $"Two providers are named '{adapter.Info.Name}': {Describe(first)} and {Describe(adapter)}. " +
                    "Integration names must be unique across every assembly whose providers are added; change the 'name:' of one provider file.");
            }
        }
        return [.. byName.Values];
    }

    private static string Describe(ProviderAdapter adapter)
    {
        var type = adapter.GetType();
        return $"{type.FullName} in assembly {type.Assembly.GetName().Name}";
    }
}
