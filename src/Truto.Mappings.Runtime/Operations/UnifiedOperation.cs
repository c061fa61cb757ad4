using Truto.Mappings.Adapters;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Operations;

/// <summary>
/// One row of the operation table: a method the schema declares (name, shape, HTTP method, route,
/// title, description) and, per provider that maps it, the compiled operation.
/// </summary>
public sealed class UnifiedOperation
{
    private readonly Dictionary<string, ProviderOperation> _byProvider;

    /// <summary>The row for <paramref name="method"/> of <paramref name="resource"/>, implemented by <paramref name="providers"/>.</summary>
    /// <exception cref="ArgumentException">The schema has no such method, or an operation's type does not fit the method's shape.</exception>
    public UnifiedOperation(UnifiedResource resource, string method, IEnumerable<ProviderOperation> providers)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(providers);
        Resource = resource;
        Method = resource.FindMethod(method) ?? throw new ArgumentException($"The {resource.Resource} schema has no method '{method}'.", nameof(method));
        Providers = providers.OrderBy(p => p.Provider.Info.Name, StringComparer.Ordinal).ToList();
        foreach (var operation in Providers)
        {
            var fits = Method.Shape == OperationShape.Single ? operation is SingleIdOperation : operation is BatchOperation;
            if (!fits)
            {
                throw new ArgumentException($"{operation.GetType().Name} of {operation.Provider.Info.Name} does not fit {Method.Name}, whose shape is {Method.Shape}.", nameof(providers));
            }
        }
        _byProvider = Providers.ToDictionary(p => p.Provider.Info.Name, StringComparer.Ordinal);
    }

    /// <summary>The resource (<c>crm</c> / <c>contacts</c>, its fields and Truto parameters).</summary>
    public UnifiedResource Resource { get; }

    /// <summary>The method as the schema declares it.</summary>
    public UnifiedMethod Method { get; }

    /// <summary>The method's one name (<c>batch_delete</c>).</summary>
    public string Name => Method.Name;

    /// <summary>The name as URLs spell it (<c>batch-delete</c>).</summary>
    public string Slug => Method.Slug;

    /// <summary>How the method takes ids, which decides the executor.</summary>
    public OperationShape Shape => Method.Shape;

    /// <summary>The providers' operations, ordered by integration name.</summary>
    public IReadOnlyList<ProviderOperation> Providers { get; }

    /// <summary>The operation of one integration, or null when it does not map this method.</summary>
    public ProviderOperation? For(string integration) => _byProvider.GetValueOrDefault(integration);
}
