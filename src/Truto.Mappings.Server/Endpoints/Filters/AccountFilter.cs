using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints.Filters;

/// <summary>
/// Resolves the integrated account of a unified call before its handler runs: parses the Truto
/// query (400 naming the bad parameter), finds the account (404 when unknown or not the
/// caller's: another environment or, for a tenant-limited token, another tenant), names the provider
/// for request logs, and leaves a <see cref="ResolvedAccount"/> for the filters after it (tenant,
/// scope, idempotency) and the handler.
/// </summary>
public sealed class AccountFilter(ITrutoStore store) : IEndpointFilter
{
    /// <summary>The key under <see cref="HttpContext.Items"/> naming the provider, for request logs.</summary>
    public const string ProviderItem = "truto.provider";

    /// <summary>The 401 for an account whose refresh token the provider refused (a batch-delete job gives it to the ids it had left).</summary>
    public static Errors.TrutoError NeedsReauth(StoredAccount stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return new Errors.TrutoError(401,
            $"The integrated account {stored.Id} must be reconnected: {stored.Integration} refused its refresh token{(stored.StatusMessage is { } why ? " (" + why + ")" : "")}. Reconnect the account, or PATCH its context with new tokens.");
    }

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var (query, error) = TrutoQuery.Parse(http.Request.Query);
        if (query is null)
        {
            return ErrorResponses.Result(error!);
        }
        var id = query.AccountId.ToString();
        if (await VisibleAccounts.FindAsync(store, ApiCaller.From(http), id, http.RequestAborted) is not { } stored)
        {
            return ErrorResponses.Result(VisibleAccounts.NotFound(id));
        }
        http.Items[ProviderItem] = stored.Integration;
        if (stored.Status == StoredAccount.NeedsReauthStatus)
        {
            // The provider refused the refresh token: asking again cannot help, so nothing is sent.
            return ErrorResponses.Result(NeedsReauth(stored));
        }
        http.Features.Set(new ResolvedAccount(query, ParsedAccounts.Of(stored), stored));
        return await next(context);
    }
}
