using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;

namespace Truto.Mappings.Server.Security;

/// <summary>
/// Every API endpoint needs <c>Authorization: Bearer &lt;api token&gt;</c>; anything else is a 401
/// envelope. A token without the endpoint's <see cref="RequiredScope"/> is a 403 envelope naming
/// it. The caller (environment, scopes, tenant) is left as a request feature for what follows.
/// </summary>
public sealed class ApiTokenFilter(ApiTokens tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (await tokens.AuthenticateAsync(token, http.RequestAborted) is not { } caller)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return ErrorResponses.Result(new TrutoError(401, token is null
                ? "Missing API token: send Authorization: Bearer <your_api_token>."
                : "The API token is not valid (unknown or revoked)."));
        }
        if (http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>() is { } required && !caller.Has(required.Scope))
        {
            return ErrorResponses.Result(new TrutoError(403, $"This API token lacks the scope '{required.Name}'."));
        }
        http.Features.Set(caller);
        return await next(context);
    }
}
