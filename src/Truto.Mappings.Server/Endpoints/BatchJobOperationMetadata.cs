namespace Truto.Mappings.Server.Endpoints;

/// <summary>Marks the batch-delete job endpoints for the OpenAPI description (<see cref="Cancel"/>: the DELETE that cancels).</summary>
public sealed record BatchJobOperationMetadata(bool Cancel);
