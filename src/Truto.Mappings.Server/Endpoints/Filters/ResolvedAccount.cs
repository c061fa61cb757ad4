using Truto.Mappings.Client;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>
/// What <see cref="AccountFilter"/> resolved for a unified call: the Truto query, the integrated
/// account the runtime calls with, and the stored row (tenant, status) for filters that check them.
/// Kept as a request feature; handlers and later filters read it with <see cref="From"/>.
/// </summary>
public sealed record ResolvedAccount(TrutoQuery Query, IntegratedAccount Account, StoredAccount Stored)
{
    /// <summary>The resolved account of this request; the endpoint must have <see cref="AccountFilter"/>.</summary>
    public static ResolvedAccount From(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ResolvedAccount>()
            ?? throw new InvalidOperationException($"No integrated account was resolved for {context.Request.Path}: add {nameof(AccountFilter)} to the endpoint.");
    }
}
