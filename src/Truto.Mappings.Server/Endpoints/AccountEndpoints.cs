using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The Truto admin shape for integrated accounts: create, read (redacted), list, update (a merge
/// patch of the context, so keys rotate without changing the id callers hold), delete. A token
/// sees only the accounts of its environment and, when tenant-limited, of its tenant; reads need
/// <c>accounts:read</c>, writes <c>accounts:write</c>.
/// </summary>
public static class AccountEndpoints
{
    private const string JsonContentType = TrutoErrorResult.JsonContentType;

    public static void MapAccountEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/integrated-account", CreateAsync).WithName("CreateIntegratedAccount").RequireScope(ApiScopes.AccountsWrite);
        api.MapGet("/integrated-account", ListAsync).WithName("ListIntegratedAccounts").RequireScope(ApiScopes.AccountsRead);
        api.MapGet("/integrated-account/{id}", ReadAsync).WithName("GetIntegratedAccount").RequireScope(ApiScopes.AccountsRead);
        api.MapPatch("/integrated-account/{id}", UpdateAsync).WithName("UpdateIntegratedAccount").RequireScope(ApiScopes.AccountsWrite);
        api.MapDelete("/integrated-account/{id}", DeleteAsync).WithName("DeleteIntegratedAccount").RequireScope(ApiScopes.AccountsWrite);
    }

    /// <summary>
    /// Validates (<see cref="AccountContextRules"/>: declared keys, URL shapes, egress policy) and stores a
    /// new account; used by the endpoint, the CLI and sandbox mode.
    /// </summary>
    public static async Task<(StoredAccount? Account, TrutoError? Error)> CreateAccountAsync(
        ITrutoStore store, ProviderCatalog catalog, AccountContextValidator validator, TimeProvider time, string? integration, string? tenantId, JsonNode? context, CancellationToken cancellationToken,
        string? id = null, string environment = StoredAccount.DefaultEnvironment)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(integration))
        {
            return (null, TrutoError.BadRequest("integration", $"integration is required; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (catalog.Find(integration) is not { } adapter)
        {
            return (null, TrutoError.BadRequest("integration", $"Unknown integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (AccountContextRules.Validate(validator, adapter, context) is { } invalid)
        {
            return (null, invalid);
        }
        var contextObject = (JsonObject?)context ?? [];
        var account = new StoredAccount(id ?? Guid.NewGuid().ToString(), integration, tenantId, StoredAccount.ActiveStatus, contextObject.ToJsonString(), time.GetUtcNow())
        {
            Environment = environment,
        };
        await store.AddAccountAsync(account, cancellationToken);
        return (account, null);
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> CreateAsync(HttpRequest request, ITrutoStore store, ProviderCatalog catalog, AccountContextValidator validator, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return ErrorResponses.Result(error!);
        }
        if (body["tenant_id"] is { } tenant && tenant.GetValueKind() != JsonValueKind.String)
        {
            return ErrorResponses.Result(TrutoError.BadRequest("tenant_id", "tenant_id must be a string."));
        }
        var caller = ApiCaller.From(request.HttpContext);
        var (tenantId, refused) = TenantFor(caller, (string?)body["tenant_id"]);
        if (refused is not null)
        {
            return ErrorResponses.Result(refused);
        }
        var (account, invalid) = await CreateAccountAsync(store, catalog, validator, time,
            body["integration"]?.GetValueKind() == JsonValueKind.String ? (string?)body["integration"] : null,
            tenantId, body["context"]?.DeepClone(), cancellationToken, environment: caller.Environment);
        if (account is null)
        {
            return ErrorResponses.Result(invalid!);
        }
        var json = AccountResponses.ToJson(account, catalog);
        json.Remove("context");
        return TypedResults.Content(AccountResponses.Serialize(json), JsonContentType, statusCode: 201);
    }

    /// <summary>
    /// The tenant an account written by <paramref name="caller"/> gets: the one asked for; for a
    /// tenant-limited token its own when none is asked for, and a 403 for any other (a limited
    /// token cannot place an account where it could not see it).
    /// </summary>
    internal static (string? TenantId, TrutoError? Refused) TenantFor(ApiCaller caller, string? requested)
    {
        if (caller.TenantId is not { } own)
        {
            return (requested, null);
        }
        return requested is null || requested == own
            ? (own, null)
            : (null, new TrutoError(403, $"This API token is limited to its own tenant; it cannot assign an account to tenant '{requested}'."));
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> ReadAsync(string id, HttpContext http, ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
        => await VisibleAccounts.FindAsync(store, ApiCaller.From(http), id, cancellationToken) is { } account
            ? TypedResults.Content(AccountResponses.Serialize(AccountResponses.ToJson(account, catalog)), JsonContentType)
            : ErrorResponses.Result(VisibleAccounts.NotFound(id));

    private static async Task<ContentHttpResult> ListAsync(HttpContext http, ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
    {
        var caller = ApiCaller.From(http);
        var accounts = await store.ListAccountsAsync(caller.Environment, caller.TenantId, cancellationToken);
        var json = new JsonObject
        {
            ["result"] = new JsonArray(accounts.Select(a => (JsonNode)AccountResponses.ToJson(a, catalog)).ToArray()),
            ["next_cursor"] = null,
        };
        return TypedResults.Content(AccountResponses.Serialize(json), JsonContentType);
    }

    /// <summary>
    /// <c>PATCH /integrated-account/{id}</c>: <c>context</c> is merged into the stored context (RFC 7396:
    /// nested objects merge, <c>null</c> removes a key) and the result passes the same validation as a
    /// new account's; <c>tenant_id</c> moves the account (a tenant-limited token only within its
    /// tenant; <c>null</c> clears it). Nothing else may change. Answers the account as a read does.
    /// </summary>
    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> UpdateAsync(string id, HttpRequest request, ITrutoStore store, ProviderCatalog catalog, AccountContextValidator validator, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return ErrorResponses.Result(error!);
        }
        if (body.Select(p => p.Key).FirstOrDefault(k => k is not ("context" or "tenant_id")) is { } unknown)
        {
            return ErrorResponses.Result(TrutoError.BadRequest(unknown, $"'{unknown}' cannot be changed; an update accepts context and tenant_id."));
        }
        if (body.ContainsKey("context") && body["context"] is not JsonObject)
        {
            return ErrorResponses.Result(TrutoError.BadRequest("context", "context must be a JSON object: it is merged into the stored context (nested objects merge, null removes a key)."));
        }
        if (body["tenant_id"] is { } tenant && tenant.GetValueKind() != JsonValueKind.String)
        {
            return ErrorResponses.Result(TrutoError.BadRequest("tenant_id", "tenant_id must be a string, or null to clear it."));
        }
        var caller = ApiCaller.From(request.HttpContext);
        if (await VisibleAccounts.FindAsync(store, caller, id, cancellationToken) is not { } account)
        {
            return ErrorResponses.Result(VisibleAccounts.NotFound(id));
        }
        var movesTenant = body.ContainsKey("tenant_id");
        var requestedTenant = (string?)body["tenant_id"];
        if (movesTenant && caller.TenantId is { } own && requestedTenant != own)
        {
            return ErrorResponses.Result(new TrutoError(403, $"This API token is limited to its own tenant; it cannot move an account to {(requestedTenant is null ? "no tenant" : $"tenant '{requestedTenant}'")}."));
        }
        if (catalog.Find(account.Integration) is not { } adapter)
        {
            return ErrorResponses.Result(TrutoError.BadRequest("integration", $"The account's integration '{account.Integration}' is no longer known; it cannot be updated."));
        }
        // The patch is applied to the account as stored when it is written, in one transaction, so
        // concurrent writes are serialised and each changes only what it names: a token refresh
        // that saved a rotated refresh token meanwhile is kept, another PATCH's keys and tenant move
        // are kept (on the same key the later write wins), and an account moved out of this
        // token's sight meanwhile is the unknown-id 404, not written.
        TrutoError? invalid = null;
        var hidden = false;
        var updated = await store.ChangeAccountAsync(id, current =>
        {
            hidden = !caller.CanSee(current);
            if (hidden)
            {
                return null;
            }
            var context = (JsonObject)JsonMergePatch.Apply(JsonNode.Parse(current.Context), body["context"] ?? new JsonObject())!;
            invalid = AccountContextRules.Validate(validator, adapter, context);
            if (invalid is not null)
            {
                return null;
            }
            var changed = current with { TenantId = movesTenant ? requestedTenant : current.TenantId, Context = context.ToJsonString() };
            // New credentials: an account that needed re-authorisation is tried again.
            return body.ContainsKey("context") ? changed with { Status = StoredAccount.ActiveStatus, StatusMessage = null, StatusAt = null } : changed;
        }, cancellationToken);
        if (invalid is not null)
        {
            return ErrorResponses.Result(invalid);
        }
        return updated is not null && !hidden
            ? TypedResults.Content(AccountResponses.Serialize(AccountResponses.ToJson(updated, catalog)), JsonContentType)
            : ErrorResponses.Result(VisibleAccounts.NotFound(id));
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> DeleteAsync(string id, HttpContext http, ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
    {
        if (await VisibleAccounts.FindAsync(store, ApiCaller.From(http), id, cancellationToken) is not { } account)
        {
            return ErrorResponses.Result(VisibleAccounts.NotFound(id));
        }
        await store.DeleteAccountAsync(id, cancellationToken);
        return TypedResults.Content(AccountResponses.Serialize(AccountResponses.ToJson(account, catalog)), JsonContentType);
    }
}
