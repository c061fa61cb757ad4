using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>The Truto admin shape for integrated accounts: create, read (redacted), list, delete.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapPost("/integrated-account", CreateAsync);
        api.MapGet("/integrated-account", ListAsync);
        api.MapGet("/integrated-account/{id}", ReadAsync);
        api.MapDelete("/integrated-account/{id}", DeleteAsync);
    }

    /// <summary>Validates and stores a new account; used by the endpoint, the CLI and sandbox mode.</summary>
    public static async Task<(StoredAccount? Account, TrutoError? Error)> CreateAccountAsync(
        ITrutoStore store, ProviderCatalog catalog, TimeProvider time, string? integration, string? tenantId, JsonNode? context, CancellationToken cancellationToken, string? id = null)
    {
        if (string.IsNullOrWhiteSpace(integration))
        {
            return (null, TrutoError.BadRequest("integration", $"integration is required; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (catalog.Find(integration) is null)
        {
            return (null, TrutoError.BadRequest("integration", $"Unknown integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        if (context is not null and not JsonObject)
        {
            return (null, TrutoError.BadRequest("context", "context must be a JSON object."));
        }
        var account = new StoredAccount(id ?? Guid.NewGuid().ToString(), integration, tenantId, "active", (context ?? new JsonObject()).ToJsonString(), time.GetUtcNow());
        await store.AddAccountAsync(account, cancellationToken);
        return (account, null);
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ITrutoStore store, ProviderCatalog catalog, TimeProvider time, CancellationToken cancellationToken)
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
        var (account, invalid) = await CreateAccountAsync(store, catalog, time,
            body["integration"]?.GetValueKind() == JsonValueKind.String ? (string?)body["integration"] : null,
            (string?)body["tenant_id"], body["context"]?.DeepClone(), cancellationToken);
        if (account is null)
        {
            return ErrorResponses.Result(invalid!);
        }
        var json = AccountResponses.ToJson(account);
        json.Remove("context");
        return Results.Content(AccountResponses.Serialize(json), "application/json; charset=utf-8", statusCode: 201);
    }

    private static async Task<IResult> ReadAsync(string id, ITrutoStore store, CancellationToken cancellationToken)
        => await store.FindAccountAsync(id, cancellationToken) is { } account
            ? Results.Content(AccountResponses.Serialize(AccountResponses.ToJson(account)), "application/json; charset=utf-8")
            : ErrorResponses.Result(new TrutoError(404, $"No integrated account with id '{id}'."));

    private static async Task<IResult> ListAsync(ITrutoStore store, CancellationToken cancellationToken)
    {
        var accounts = await store.ListAccountsAsync(cancellationToken);
        var json = new JsonObject
        {
            ["result"] = new JsonArray(accounts.Select(a => (JsonNode)AccountResponses.ToJson(a)).ToArray()),
            ["next_cursor"] = null,
        };
        return Results.Content(AccountResponses.Serialize(json), "application/json; charset=utf-8");
    }

    private static async Task<IResult> DeleteAsync(string id, ITrutoStore store, CancellationToken cancellationToken)
    {
        if (await store.FindAccountAsync(id, cancellationToken) is not { } account)
        {
            return ErrorResponses.Result(new TrutoError(404, $"No integrated account with id '{id}'."));
        }
        await store.DeleteAccountAsync(id, cancellationToken);
        return Results.Content(AccountResponses.Serialize(AccountResponses.ToJson(account)), "application/json; charset=utf-8");
    }
}
