using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Connect;

/// <summary>Who starts a connect flow and where it ends: from a connect link, or from an API token with <c>accounts:write</c>.</summary>
/// <param name="Environment">The environment the account will belong to.</param>
/// <param name="TenantId">The tenant the account will belong to.</param>
/// <param name="RedirectUri">The allowed redirect URI the flow ends at.</param>
/// <param name="AccountId">The account the flow reconnects, or null to create one.</param>
public sealed record ConnectStarter(string Environment, string? TenantId, string RedirectUri, string? AccountId = null)
{
    /// <summary>The starter for <paramref name="caller"/> (tenant and account already checked against the token).</summary>
    public static ConnectStarter From(ApiCaller caller, string? tenantId, string redirectUri, string? accountId = null)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return new(caller.Environment, tenantId, redirectUri, accountId);
    }
}
