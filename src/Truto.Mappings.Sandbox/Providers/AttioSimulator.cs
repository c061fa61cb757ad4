using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Attio v2: delete a person record (200 <c>{}</c>); a bearer token that is an API key or an OAuth access token.</summary>
internal sealed class AttioSimulator() : ProviderSimulator("attio")
{
    private const string ApiKey = "sandbox-attio-key";

    protected override JsonObject Credentials() => new() { ["api_key"] = ApiKey };

    /// <summary>Attio's OAuth: tokens without expiry and without refresh tokens.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("attio", new AttioOAuthDialect());

    public override string DeleteRequest => "DELETE /objects/people/records/{id}";

    /// <inheritdoc />
    public override string UnknownId => "8f14e45f-ceea-467e-a9c5-6f2b1b0c9d43";

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == ApiKey || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error(401, "auth_error", "unauthorized", "Authentication failed: the access token is invalid or has been revoked."));

    protected override IResult RateLimited(int retryAfterSeconds)
        => Json(429, Error(429, "rate_limit_error", "rate_limit_exceeded", "Rate limit exceeded, please try again later"));

    protected override IResult NotFound(string what) => Json(404, Error(404, "invalid_request_error", "not_found", $"Record with ID \"{what}\" not found."));

    protected override IResult ServerError(int status) => Json(status, Error(status, "api_error", "internal_server_error", "An unexpected error occurred."));

    protected override string NewId(int sequence) => new Guid(sequence, 0x1941, 0x415d, [0x9b, 0x2a, 0x22, 0x38, 0xa6, 0xcc, 0x01, 0x2d]).ToString();

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/objects/people/records/{id}", (string id) => Delete(id) ? Json(200, new JsonObject()) : NotFound(id));

    private static JsonObject Error(int status, string type, string code, string message) => new()
    {
        ["status_code"] = status,
        ["type"] = type,
        ["code"] = code,
        ["message"] = message,
    };
}
