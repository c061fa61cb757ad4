using Microsoft.AspNetCore.Http.HttpResults;
using Truto.Mappings.Client;
using Truto.Mappings.Requests;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// <c>DELETE /unified/crm/contacts/{id}</c> and <c>POST /unified/crm/contacts/batch-delete</c>.
/// The account filter has resolved the Truto query and the account; the runtime client answers
/// every outcome as a <see cref="UnifiedResult"/>, sent as it is.
/// </summary>
public static class UnifiedEndpoints
{
    public static void MapUnifiedEndpoints(this IEndpointRouteBuilder api)
    {
        // The schema's method rides along as metadata: the OpenAPI description is built from it.
        api.MapDelete("/unified/crm/contacts/{id}", DeleteAsync).WithName("DeleteContact")
            .RequireIntegratedAccount()
            .WithMetadata(ContactsSchema.Resource.FindMethod("delete")!);
        api.MapPost("/unified/crm/contacts/batch-delete", BatchDeleteAsync).WithName("BatchDeleteContacts")
            .RequireIntegratedAccount()
            .WithIdempotencyKey()
            .WithMetadata(ContactsSchema.Resource.FindMethod("batch_delete")!);
    }

    private static async Task<UnifiedHttpResult> DeleteAsync(string id, HttpContext http, UnifiedContactsClient client)
    {
        var call = ResolvedAccount.From(http);
        return UnifiedHttpResult.For(http, await client.DeleteAsync(call.Account, id, call.Query.Options, http.RequestAborted));
    }

    private static async Task<Results<UnifiedHttpResult, TrutoErrorResult>> BatchDeleteAsync(BatchDeleteBody body, HttpContext http, UnifiedContactsClient client, ILoggerFactory loggers)
    {
        if (body.Error is { } error)
        {
            return ErrorResponses.Result(error);
        }
        var call = ResolvedAccount.From(http);
        var progress = new BatchProgressLog(loggers.CreateLogger("Truto.Mappings.Server.BatchDelete"), call.Account.Integration, http.TraceIdentifier);
        return UnifiedHttpResult.For(http, await client.BatchDeleteAsync(call.Account, IdList.Merge(body.Ids, call.Query.Ids), body.RemoteData, call.Query.Options, progress, http.RequestAborted));
    }
}
