using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;

namespace Truto.Mappings.Interpreter;

/// <summary>Interpreted adapters as an operation table, the form the runtime's client and <c>AddTrutoMappingsRuntime</c> take.</summary>
public static class InterpretedProviders
{
    /// <summary>
    /// One row per method of <paramref name="resource"/> (the compiled schema metadata, <c>ContactsSchema.Resource</c>),
    /// holding each adapter's operation for it.
    /// </summary>
    public static OperationTable Table(UnifiedResource resource, IEnumerable<InterpretedAdapter> adapters)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(adapters);
        var operations = adapters.SelectMany(a => a.Operations).ToList();
        return new OperationTable(resource.Methods.Select(m => new UnifiedOperation(resource, m.Name, operations.Where(o => o.Info.Method == m.Name))));
    }
}
