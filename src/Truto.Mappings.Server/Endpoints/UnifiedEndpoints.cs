using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Requests;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary><c>DELETE /unified/crm/contacts/{id}</c> and <c>POST /unified/crm/contacts/batch-delete</c>.</summary>
public static class UnifiedEndpoints
{
    /// <summary>The key under <see cref="HttpContext.Items"/> naming the provider, for request logs.</summary>
    public const string ProviderItem = "truto.provider";

    public static void MapUnifiedEndpoints(this IEndpointRouteBuilder api)
    {
        api.MapDelete("/unified/crm/contacts/{id}", DeleteAsync).WithName("DeleteContact").WithSummary("Delete a contact");
        api.MapPost("/unified/crm/contacts/batch-delete", BatchDeleteAsync).WithName("BatchDeleteContacts").WithSummary("Delete contacts in a batch");
    }

    private static async Task DeleteAsync(string id, HttpContext context, ITrutoStore store, UnifiedContactsClient client)
    {
        var (query, account, error) = await ResolveAsync(context, store);
        if (error is not null)
        {
            await ErrorResponses.WriteAsync(context, error);
            return;
        }
        await using var result = await client.DeleteAsync(account!, id, query!.Options, context.RequestAborted);
        await WriteAsync(context, result);
    }

    private static async Task BatchDeleteAsync(HttpContext context, ITrutoStore store, UnifiedContactsClient client, TimeProvider time, ILoggerFactory loggers)
    {
        var (query, account, error) = await ResolveAsync(context, store);
        if (error is not null)
        {
            await ErrorResponses.WriteAsync(context, error);
            return;
        }
        var (body, bodyError) = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await ErrorResponses.WriteAsync(context, bodyError!);
            return;
        }
        var (bodyIds, idsError) = ReadIds(body["id"]);
        if (idsError is not null)
        {
            await ErrorResponses.WriteAsync(context, idsError);
            return;
        }
        if (body["remote_data"] is { } remote && remote is not JsonObject)
        {
            await ErrorResponses.WriteAsync(context, TrutoError.BadRequest("remote_data", "remote_data must be a JSON object."));
            return;
        }
        var ids = IdList.Merge(bodyIds, query!.Ids);
        var remoteData = body["remote_data"] is JsonObject data ? JsonSerializer.SerializeToElement(data) : (JsonElement?)null;

        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var requestHash = key.Length == 0 ? "" : Hash(account!.Id, context.Request.QueryString.Value ?? "", body.ToJsonString());
        if (key.Length > 0 && await store.FindAnswerAsync(key, time.GetUtcNow() - SqliteTrutoStore.IdempotencyWindow, context.RequestAborted) is { } stored)
        {
            if (stored.RequestHash != requestHash)
            {
                await ErrorResponses.WriteAsync(context, new TrutoError(409, "This Idempotency-Key was used with a different request; use a new key for a new request."));
                return;
            }
            context.Response.Headers["Idempotent-Replayed"] = "true";
            await WriteStoredAsync(context, stored);
            return;
        }

        await using var result = await client.BatchDeleteAsync(account!, ids, remoteData, query.Options,
            new BatchProgressLog(loggers.CreateLogger("Truto.Mappings.Server.BatchDelete"), account!.Integration, context.TraceIdentifier), context.RequestAborted);
        if (key.Length > 0 && !result.IsStreamed && result.StatusCode < 500)
        {
            var headers = JsonSerializer.Serialize(result.Headers.ToDictionary(h => h.Key, h => h.Value));
            await store.SaveAnswerAsync(new StoredAnswer(key, requestHash, result.StatusCode, result.ContentType, headers, result.Body.ToArray(), time.GetUtcNow()), context.RequestAborted);
        }
        await WriteAsync(context, result);
    }

    private static async Task<(TrutoQuery? Query, IntegratedAccount? Account, TrutoError? Error)> ResolveAsync(HttpContext context, ITrutoStore store)
    {
        var (query, error) = TrutoQuery.Parse(context.Request.Query);
        if (query is null)
        {
            return (null, null, error);
        }
        var stored = await store.FindAccountAsync(query.AccountId.ToString(), context.RequestAborted);
        if (stored is null)
        {
            return (null, null, new TrutoError(404, $"No integrated account with id '{query.AccountId}'."));
        }
        context.Items[ProviderItem] = stored.Integration;
        return (query, new IntegratedAccount(stored.Id, stored.Integration, AccountContext.Parse(stored.Context)), null);
    }

    private static (IReadOnlyList<string> Ids, TrutoError? Error) ReadIds(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return ([], null);
            case JsonArray array:
                var ids = new List<string>();
                foreach (var item in array)
                {
                    if (item?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
                    {
                        ids.Add(item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item.ToJsonString());
                    }
                    else
                    {
                        return ([], TrutoError.BadRequest("id", "id must be an array of strings (or numbers)."));
                    }
                }
                return (ids, null);
            default:
                return ([], TrutoError.BadRequest("id", "id must be an array of contact ids, e.g. {\"id\": [\"1\", \"2\"]}."));
        }
    }

    private static async Task WriteAsync(HttpContext context, UnifiedResult result)
    {
        context.Response.StatusCode = result.StatusCode;
        foreach (var (name, value) in result.Headers)
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = result.ContentType;
        if (result.IsStreamed)
        {
            // Sent as it arrives: no buffering between the provider and the caller.
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(context.RequestAborted);
        }
        await result.WriteToAsync(context.Response.Body, context.RequestAborted);
    }

    private static async Task WriteStoredAsync(HttpContext context, StoredAnswer stored)
    {
        context.Response.StatusCode = stored.Status;
        foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(stored.Headers) ?? [])
        {
            context.Response.Headers[name] = value;
        }
        context.Response.ContentType = stored.ContentType;
        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    private static string Hash(params string[] parts)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
