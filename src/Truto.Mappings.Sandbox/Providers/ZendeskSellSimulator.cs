using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Zendesk Sell v2: delete a contact (204); requests need a User-Agent.</summary>
internal sealed class ZendeskSellSimulator() : ProviderSimulator("zendesk_sell")
{
    private const string Token = "sandbox-zendesk-sell-token";

    public override string DeleteRequest => "DELETE /contacts/{id}";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>Zendesk Sell's OAuth: 1-hour access tokens, HTTP Basic client authentication, refresh tokens that rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("zendesk_sell", new ZendeskSellOAuthDialect());

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error("unauthorized", "Unauthorized", "401 Unauthorized"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error("rate_limit_exceeded", "Rate limit exceeded", "429 Too Many Requests"));

    protected override IResult NotFound(string what) => Json(404, Error("not_found", "Contact not found", "404 Not Found"));

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts/{id}", (string id, HttpRequest request) =>
            string.IsNullOrEmpty(request.Headers.UserAgent) ? Json(400, Error("bad_request", "User-Agent header is required", "400 Bad Request"))
            : Delete(id) ? Empty(204)
            : NotFound(id));

    private static JsonObject Error(string code, string message, string status) => new()
    {
        ["errors"] = new JsonArray(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }),
        ["meta"] = new JsonObject { ["http_status"] = status },
    };
}
