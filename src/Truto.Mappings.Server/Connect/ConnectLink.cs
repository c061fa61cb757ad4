namespace Truto.Mappings.Server.Connect;

/// <summary>What a connect link grants: one integration's flow for one environment and tenant, ending at one redirect URI, creating an account or reconnecting one.</summary>
/// <param name="Environment">The environment of the token that made the link.</param>
/// <param name="TenantId">The tenant the account will belong to.</param>
/// <param name="Integration">The provider.</param>
/// <param name="RedirectUri">The allowed redirect URI the flow ends at.</param>
/// <param name="ExpiresAt">When the link stops working.</param>
/// <param name="AccountId">The account the flow reconnects (its id, tenant and environment stay), or null to create one.</param>
public sealed record ConnectLink(string Environment, string? TenantId, string Integration, string RedirectUri, DateTimeOffset ExpiresAt, string? AccountId = null);
