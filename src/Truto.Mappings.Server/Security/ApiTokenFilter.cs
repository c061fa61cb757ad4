using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;

namespace Truto.Mappings.Server.Security;

/// <summary>Every API endpoint needs <c>Authorization: Bearer &lt;api token&gt;</c>; anything else is a 401 envelope.</summary>
public sealed class ApiTokenFilter(ApiTokens tokens) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (!await tokens.IsValidAsync(token, context.HttpContext.RequestAborted))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ErrorResponses.Result(new TrutoError(401, token is null
                ? "Missing API token: send Authorization: Bearer <your_api_token>."
                : "The API token is not valid (unknown or revoked)."));
        }
        return await next(context);
    }
}
