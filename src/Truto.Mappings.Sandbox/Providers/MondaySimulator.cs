using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>monday.com GraphQL: the delete_item mutation with the id as a variable; errors arrive with HTTP 200.</summary>
internal sealed class MondaySimulator() : ProviderSimulator("monday")
{
    private const string Token = "sandbox-monday-token";

    public override string DeleteRequest => "POST /v2";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>monday's OAuth 2.1: expiring access tokens, PKCE, refresh tokens that rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("monday", new MondayOAuthDialect());

    /// <summary>
    /// How an expired access token is answered: false (default) a 401, as monday documents for the
    /// tokens it refuses (the legacy OAuth page: "return 401 Unauthorized with the
    /// OAUTH21_TOKEN_REQUIRED error code"); true an HTTP 200 whose errors array carries the code, the
    /// form monday documents for application-level errors (developer.monday.com/api-reference/docs/error-handling),
    /// so tests cover the runtime's expired-token codes too. Unverified which of the two monday uses
    /// for an expired OAuth 2.1 token, and its code's name (UNAUTHENTICATED, as monday.yaml declares).
    /// </summary>
    public bool ExpiredTokenAnsweredInBody { get; set; }

    // monday takes the token without a scheme.
    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers.Authorization.ToString() is var token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, new JsonObject { ["errors"] = new JsonArray(NotAuthenticated()) });

    protected override IResult Unauthorized(HttpRequest request)
        => ExpiredTokenAnsweredInBody && OAuthServer.Check(request.Headers.Authorization.ToString()) == AccessTokenStatus.Expired
            ? Json(200, GraphQlError(NotAuthenticated()))
            : Unauthorized();

    private static JsonObject NotAuthenticated() => new()
    {
        ["message"] = "Not Authenticated",
        ["extensions"] = new JsonObject { ["code"] = "UNAUTHENTICATED", ["status_code"] = 401 },
    };

    protected override IResult RateLimited(int retryAfterSeconds) => retryAfterSeconds > 0
        ? Json(429, new JsonObject { ["errors"] = new JsonArray(Error("Rate limit exceeded", "RATE_LIMIT_EXCEEDED", retryAfterSeconds)) })
        : Json(200, GraphQlError(Error("Complexity budget exhausted", "COMPLEXITY_BUDGET_EXHAUSTED", 10)));

    protected override IResult NotFound(string what) => Json(200, GraphQlError(Error("Item not found", "InvalidItemIdException", null)));

    protected override string NewId(int sequence) => (1_800_000_000 + sequence).ToString(CultureInfo.InvariantCulture);

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapPost("/v2", async (HttpRequest request) =>
        {
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body);
            }
            catch (JsonException)
            {
                return Json(400, new JsonObject { ["error_message"] = "Invalid JSON body", ["status_code"] = 400 });
            }
            var query = (string?)body?["query"] ?? "";
            var id = body?["variables"]?["id"]?.ToString();
            if (!query.Contains("delete_item", StringComparison.Ordinal) || string.IsNullOrEmpty(id))
            {
                return Json(200, GraphQlError(Error("Variable \"$id\" of required type \"ID!\" was not provided.", "GraphQLValidationError", null)));
            }
            return Delete(id)
                ? Json(200, new JsonObject { ["data"] = new JsonObject { ["delete_item"] = new JsonObject { ["id"] = id } }, ["account_id"] = 1 })
                : NotFound(id);
        });

    private static JsonObject Error(string message, string code, int? retryIn)
    {
        var extensions = new JsonObject { ["code"] = code, ["status_code"] = 200 };
        if (retryIn is { } seconds)
        {
            extensions["retry_in_seconds"] = seconds;
        }
        return new JsonObject
        {
            ["message"] = message,
            ["path"] = new JsonArray("delete_item"),
            ["locations"] = new JsonArray(new JsonObject { ["line"] = 1, ["column"] = 25 }),
            ["extensions"] = extensions,
        };
    }

    private static JsonObject GraphQlError(JsonObject error) => new() { ["data"] = null, ["errors"] = new JsonArray(error), ["account_id"] = 1 };
}
