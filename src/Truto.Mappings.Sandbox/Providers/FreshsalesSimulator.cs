using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Freshsales: delete a contact (200 with the bare JSON <c>true</c>); the API key as <c>Authorization: Token token=…</c>.</summary>
internal sealed class FreshsalesSimulator() : ProviderSimulator("freshsales")
{
    private const string ApiKey = "sandbox-freshsales-key";
    private const int HourlyLimit = 1000;

    protected override JsonObject Credentials() => new() { ["domain"] = "sandbox", ["api_key"] = ApiKey };

    public override string DeleteRequest => "DELETE /contacts/{id}";

    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers.Authorization.ToString() == "Token token=" + ApiKey;

    protected override IResult Unauthorized() => Json(401, new JsonObject { ["login"] = "failed", ["message"] = "Incorrect or expired API key" });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["message"] = "Rate limit exceeded" });

    protected override IResult NotFound(string what) => Json(404, Errors(404, "Contact not found"));

    protected override IResult ServerError(int status) => Json(status, Errors(status, "Something went wrong. Please try again later."));

    public override int? AnnouncedRateLimit => HourlyLimit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        response.Headers["x-ratelimit-limit"] = HourlyLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = (exhausted ? 0 : Math.Max(0, HourlyLimit - Served)).ToString(CultureInfo.InvariantCulture);
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts/{id}", (string id) => Delete(id) ? Json(200, JsonValue.Create(true)) : NotFound(id));

    private static JsonObject Errors(int code, string message)
        => new() { ["errors"] = new JsonObject { ["code"] = code, ["message"] = new JsonArray(message) } };
}
