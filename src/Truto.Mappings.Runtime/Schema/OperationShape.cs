namespace Truto.Mappings.Schema;

/// <summary>
/// How a unified method takes its ids and reaches the provider, as the schema's <c>shape</c> key
/// declares it. The runtime has one executor per shape, so a new method of a known shape needs
/// only YAML.
/// </summary>
public enum OperationShape
{
    /// <summary><c>single</c>: one id, one provider call (<c>delete</c>).</summary>
    Single,

    /// <summary><c>batch</c>: many ids, through the provider's batch endpoint or one call per id (<c>batch_delete</c>).</summary>
    Batch,
}
