using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Security;

/// <summary>
/// Who is calling, from the API token: its environment, scopes and, for a tenant-limited token,
/// its tenant. Set by <see cref="ApiTokenFilter"/> as a request feature; read with <see cref="From"/>.
/// </summary>
/// <param name="TokenId">The stored token's id; null for <c>TRUTO_API_TOKEN</c>.</param>
/// <param name="Environment">The environment whose accounts the token sees (<c>default</c> unless created with another).</param>
/// <param name="Scopes">What the token may do.</param>
/// <param name="TenantId">The one tenant whose accounts the token sees; null for every tenant.</param>
public sealed record ApiCaller(string? TokenId, string Environment, ApiScopes Scopes, string? TenantId)
{
    /// <summary>The caller of <c>TRUTO_API_TOKEN</c>: every scope, every tenant, the default environment.</summary>
    public static ApiCaller EnvironmentToken { get; } = new(null, StoredAccount.DefaultEnvironment, ApiScopes.All, null);

    /// <summary>True when the token carries <paramref name="scope"/> (<c>accounts:write</c> includes <c>accounts:read</c>).</summary>
    public bool Has(ApiScopes scope)
    {
        var effective = Scopes.HasFlag(ApiScopes.AccountsWrite) ? Scopes | ApiScopes.AccountsRead : Scopes;
        return (effective & scope) == scope;
    }

    /// <summary>
    /// True when the account is in the token's environment and, for a tenant-limited token, its
    /// tenant. Every other account is answered exactly as an unknown id is: its existence is not
    /// the caller's to learn.
    /// </summary>
    public bool CanSee(StoredAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Environment == Environment && (TenantId is null || account.TenantId == TenantId);
    }

    /// <summary>The caller of this request; the endpoint must run <see cref="ApiTokenFilter"/>.</summary>
    public static ApiCaller From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ApiCaller>()
            ?? throw new InvalidOperationException($"No API caller for {context.Request.Path}: the endpoint needs {nameof(ApiTokenFilter)}.");
    }
}
