using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Connect;

/// <summary>
/// The connect flow's routes: <c>POST /connect-link</c> (an API operation, <c>accounts:write</c>) and the
/// browser pages <c>GET|POST /connect/{integration}</c> and <c>GET /connect/callback</c>.
/// </summary>
public static class ConnectEndpoints
{
    /// <summary>The API operation that makes connect links.</summary>
    public static void MapConnectLinkEndpoint(this IEndpointRouteBuilder api)
        => api.MapPost("/connect-link", CreateLinkAsync).WithName("CreateConnectLink").RequireScope(ApiScopes.AccountsWrite);

    /// <summary>The pages a browser visits; they authenticate by link token, state or API token themselves.</summary>
    public static void MapConnectPages(this IEndpointRouteBuilder pages)
    {
        pages.MapGet(ConnectFlow.CallbackPath, (HttpRequest request, ConnectFlow flow, CancellationToken ct) => flow.CallbackAsync(request, ct));
        pages.MapGet("/connect/{integration}", (string integration, HttpRequest request, ConnectFlow flow, CancellationToken ct) => flow.StartAsync(integration, request, ct));
        pages.MapPost("/connect/{integration}", (string integration, HttpRequest request, ConnectFlow flow, CancellationToken ct) => flow.SubmitFormAsync(integration, request, ct));
    }

    private static async Task<Results<ContentHttpResult, TrutoErrorResult>> CreateLinkAsync(HttpRequest request, ConnectFlow flow, CancellationToken cancellationToken)
    {
        var (body, error) = await RequestBody.ReadObjectAsync(request, cancellationToken);
        if (body is null)
        {
            return ErrorResponses.Result(error!);
        }
        foreach (var member in new[] { "integration", "tenant_id", "redirect_uri", "integrated_account_id" })
        {
            if (body[member] is { } value && value.GetValueKind() != JsonValueKind.String)
            {
                return ErrorResponses.Result(TrutoError.BadRequest(member, $"{member} must be a string."));
            }
        }
        var (answer, refused) = await flow.CreateLinkAsync(ApiCaller.From(request.HttpContext), (string?)body["integration"], (string?)body["tenant_id"], (string?)body["redirect_uri"],
            (string?)body["integrated_account_id"], request, cancellationToken);
        return answer is null
            ? ErrorResponses.Result(refused!)
            : TypedResults.Content(AccountResponses.Serialize(answer), TrutoErrorResult.JsonContentType, statusCode: 201);
    }
}
