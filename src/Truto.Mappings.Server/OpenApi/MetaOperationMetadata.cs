namespace Truto.Mappings.Server.OpenApi;

/// <summary>Marks the meta endpoints, which <see cref="TrutoOperationTransformer"/> describes by their route.</summary>
public sealed class MetaOperationMetadata;
