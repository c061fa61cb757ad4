using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>The Truto admin shape for integrated accounts: create, read (redacted), list, delete.</summary>
public static class AccountEndpoints
{
    private const string JsonContentType = TrutoErrorResult.JsonContentType;

    public static void MapAccountEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/integrated-account", CreateAsync).WithName("CreateIntegratedAccount");
        api.MapGet("/integrated-account", ListAsync).WithName("ListIntegratedAccounts");
        api.MapGet("/integrated-account/{id}", ReadAsync).WithName("GetIntegratedAccount");
        api.MapDelete("/integrated-account/{id}", DeleteAsync).WithName("DeleteIntegratedAccount");
    }

    /// <summary>
    /// Validates (<see cref="AccountContextRules"/>: declared keys, URL shapes, egress policy) and stores a
    /// new account; used by the endpoint, the CLI and sandbox mode.
    /// </summary>
    public static async Task<(StoredAccount? Account, TrutoError? Error)> CreateAccountAsync(
        ITrutoStore store, ProviderCatalog catalog, AccountContextValidator validator, TimeProvider time, string? integration, string? tenantId, JsonNode? context, CancellationToken cancellationToken, string? id = null)
    {
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
        var account = new StoredAccount(id ?? Guid.NewGuid().ToString(), integration, tenantId, "active", (context ?? new JsonObject()).ToJsonString(), time.GetUtcNow());
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
        var (account, invalid) = await CreateAccountAsync(store, catalog, validator, time,
            body["integration"]?.GetValueKind() == JsonValueKind.String ? (string?)body["integration"] : null,
            (string?)body["tenant_id"], body["context"]?.DeepClone(), cancellationToken);
        if (account is null)
        {
            return ErrorResponses.Result(invalid!);
        }
        var json = AccountResponses.ToJson(account, catalog);
        json.Remove("context");
        return TypedResults.Content(AccountResponses.Serialize(json), JsonContentType, statusCode: 201);
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> ReadAsync(string id, ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
        => await store.FindAccountAsync(id, cancellationToken) is { } account
            ? TypedResults.Content(AccountResponses.Serialize(AccountResponses.ToJson(account, catalog)), JsonContentType)
            : ErrorResponses.Result(new TrutoError(404, $"No integrated account with id '{id}'."));

    private static async Task<ContentHttpResult> ListAsync(ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
    {
        var accounts = await store.ListAccountsAsync(cancellationToken);
        var json = new JsonObject
        {
            ["result"] = new JsonArray(accounts.Select(a => (JsonNode)AccountResponses.ToJson(a, catalog)).ToArray()),
            ["next_cursor"] = null,
        };
        return TypedResults.Content(AccountResponses.Serialize(json), JsonContentType);
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> DeleteAsync(string id, ITrutoStore store, ProviderCatalog catalog, CancellationToken cancellationToken)
    {
        if (await store.FindAccountAsync(id, cancellationToken) is not { } account)
        {
            return ErrorResponses.Result(new TrutoError(404, $"No integrated account with id '{id}'."));
        }
        await store.DeleteAccountAsync(id, cancellationToken);
        return TypedResults.Content(AccountResponses.Serialize(AccountResponses.ToJson(account, catalog)), JsonContentType);
    }
}
