using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Copper v1: delete a person (200 with is_deleted); API key, application and user e-mail headers.</summary>
internal sealed class CopperSimulator() : ProviderSimulator("copper")
{
    private const string ApiKey = "sandbox-copper-key";
    private const string Email = "sandbox@example.com";

    public override string DeleteRequest => "DELETE /people/{id}";

    protected override JsonObject Credentials() => new() { ["api_key"] = ApiKey, ["user_email"] = Email };

    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers["X-PW-AccessToken"] == ApiKey && request.Headers["X-PW-Application"] == "developer_api" && request.Headers["X-PW-UserEmail"] == Email;

    protected override IResult Unauthorized() => Json(401, Error(401, "Invalid credentials"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error(429, "Rate limit exceeded"));

    protected override IResult NotFound(string what) => Json(404, Error(404, "Resource not found"));

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/people/{id}", (string id) => Delete(id)
            ? Json(200, new JsonObject { ["id"] = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : id, ["is_deleted"] = true })
            : NotFound(id));

    private static JsonObject Error(int status, string message) => new() { ["success"] = false, ["status"] = status, ["message"] = message };
}
