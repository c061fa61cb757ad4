namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>
/// Endpoint metadata saying which of the server's filters an endpoint runs (filters themselves are
/// not visible as metadata), so the OpenAPI description can show what they add: the bearer
/// requirement and its 401, the account parameters and their 400/404, the Idempotency-Key header and its 409.
/// </summary>
public sealed record FilterMetadata(Type FilterType);
