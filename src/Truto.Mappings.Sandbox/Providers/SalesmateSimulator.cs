using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Salesmate contacts v4: <c>DELETE /contact/v4/{id}</c> with <c>accessToken</c> and <c>x-linkname</c>
/// headers answers 200 <c>{"Data":{},"Status":"success"}</c>; an unknown id is also a 200, with
/// <c>"Status":"failure"</c> and an <c>ObjectNotFound</c> error. The 401 and 429 bodies are unverified
/// (Salesmate's error envelope is assumed).
/// </summary>
internal sealed class SalesmateSimulator() : ProviderSimulator("salesmate")
{
    private const string AccessKey = "sandbox-salesmate-key";
    private const string LinkName = "sandbox";

    protected override JsonObject Credentials() => new() { ["linkname"] = LinkName, ["api_key"] = AccessKey };

    public override string DeleteRequest => "DELETE /contact/v4/{id}";

    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers["accessToken"] == AccessKey && request.Headers["x-linkname"] == LinkName + ".salesmate.io";

    protected override IResult Unauthorized() => Json(401, Failure("4001", "Invalid access key", "Unauthorized"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Failure("4029", "Too many requests", "TooManyRequests"));

    // Salesmate answers application errors with HTTP 200.
    protected override IResult NotFound(string what) => Json(200, Failure("4005", "Object not found", "ObjectNotFound"));

    protected override IResult ServerError(int status) => Json(status, Failure("5000", "Internal server error", "InternalServerError"));

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contact/v4/{id}", (string id) => Delete(id)
            ? Json(200, new JsonObject { ["Data"] = new JsonObject(), ["Status"] = "success" })
            : NotFound(id));

    private static JsonObject Failure(string code, string message, string name) => new()
    {
        ["Error"] = new JsonObject { ["Code"] = code, ["Message"] = message, ["Name"] = name },
        ["Status"] = "failure",
    };
}
