using Truto.Mappings.Client;
using Truto.Mappings.Operations;
using Truto.Mappings.Requests;
using Truto.Mappings.Schema;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The unified routes, one per row of the generated operation table (today
/// <c>DELETE /unified/crm/contacts/{id}</c> and <c>POST /unified/crm/contacts/batch-delete</c>).
/// A method's shape picks its handler; the account filter has resolved the Truto query and the
/// account; the runtime client answers every outcome as a <see cref="UnifiedResult"/>, sent as it is.
/// </summary>
public static class UnifiedEndpoints
{
    /// <summary>Maps every operation of the table at the route and HTTP method its schema declares.</summary>
    public static void MapUnifiedEndpoints(this IEndpointRouteBuilder api, OperationTable operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        foreach (var operation in operations.Operations)
        {
            var method = operation.Method;
            var endpoint = method.Shape == OperationShape.Single
                ? api.MapMethods(method.Path, [method.HttpMethod], Single(method.Name, PathSegmentOf(method.Path, "{id}")))
                : api.MapMethods(method.Path, [method.HttpMethod], Batch(method.Name));
            // The schema's method rides along as metadata: the OpenAPI description is built from it.
            endpoint.WithName(OperationNames.Identifier(operation.Resource.Resource) + OperationNames.Identifier(method.Name))
                .WithMetadata(method)
                .RequireScope(ApiScopes.Unified)
                .RequireIntegratedAccount();
            if (method.Shape == OperationShape.Batch)
            {
                // After the account filter: a key is scoped to the account it was used with.
                endpoint.WithIdempotencyKey();
                // Prefer: respond-async runs the batch as a durable job, read and cancelled here.
                api.MapBatchJobEndpoints(method.Path, OperationNames.Identifier(operation.Resource.Resource) + OperationNames.Identifier(method.Name));
            }
        }
    }

    /// <summary>One id from the route's <c>{id}</c>, decoded exactly once (see <see cref="RawSegment"/>).</summary>
    private static Func<string, HttpContext, UnifiedContactsClient, Task<UnifiedHttpResult>> Single(string name, int idSegment)
        => async (id, http, client) =>
        {
            var call = ResolvedAccount.From(http);
            var exact = RawSegment(http, idSegment) ?? id;
            return UnifiedHttpResult.For(http, await client.ExecuteAsync(call.Account, name, new OperationInput([exact]), call.Query.Options, null, http.RequestAborted));
        };

    /// <summary>
    /// The path segment at <paramref name="index"/> of the request target as the caller sent it,
    /// percent-decoded once. Kestrel decodes the path but for <c>%2F</c>, so the route value of
    /// <c>a%2Fb</c> is <c>a%2Fb</c> and would reach the provider encoded twice (<c>a%252Fb</c>);
    /// the raw target says what the caller meant (<c>a/b</c>), which is then encoded once.
    /// </summary>
    private static string? RawSegment(HttpContext http, int index)
    {
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (index < 0 || string.IsNullOrEmpty(target) || target[0] != '/')
        {
            return null;
        }
        var path = target.Split('?', 2)[0];
        var segments = path.Split('/');
        return index < segments.Length ? Uri.UnescapeDataString(segments[index]) : null;
    }

    /// <summary>Where <paramref name="placeholder"/> stands among the '/'-separated segments of a route template; -1 when absent.</summary>
    private static int PathSegmentOf(string template, string placeholder)
        => Array.IndexOf(template.Split('/'), placeholder);

    /// <summary>
    /// Ids from the body and the query (body first), and the body's <c>remote_data</c>. With
    /// <c>Prefer: respond-async</c> the same input becomes a durable job (<see cref="BatchJobEndpoints.StartAsync"/>).
    /// </summary>
    private static Func<BatchDeleteBody, HttpContext, UnifiedContactsClient, ILoggerFactory, Task<IResult>> Batch(string name)
        => async (body, http, client, loggers) =>
        {
            if (body.Error is { } error)
            {
                return ErrorResponses.Result(error);
            }
            var call = ResolvedAccount.From(http);
            var input = new OperationInput(IdList.Merge(body.Ids, call.Query.Ids)) { RemoteData = body.RemoteData };
            if (RespondAsync.IsRequested(http.Request))
            {
                return await BatchJobEndpoints.StartAsync(http, name, input, body.CallbackUrl);
            }
            var progress = new BatchProgressLog(loggers.CreateLogger("Truto.Mappings.Server.BatchDelete"), call.Account.Integration, http.TraceIdentifier);
            return UnifiedHttpResult.For(http, await client.ExecuteAsync(call.Account, name, input, call.Query.Options, progress, http.RequestAborted));
        };
}
