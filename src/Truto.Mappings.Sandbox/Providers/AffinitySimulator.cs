using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Affinity API v2: delete a person (200 {"success": true}); the API key is a bearer token.</summary>
internal sealed class AffinitySimulator() : ProviderSimulator("affinity")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 900;

    private const string ApiKey = "sandbox-affinity-key";

    public override string DeleteRequest => "DELETE /v2/persons/{id}";

    protected override JsonObject Credentials() => new() { ["api_key"] = ApiKey };

    protected override bool IsAuthorized(HttpRequest request) => BearerToken(request) == ApiKey;

    protected override IResult Unauthorized() => Json(401, Errors("unauthorized", "The API key is invalid"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Errors("rate-limit", "Rate limit exceeded"));

    protected override IResult NotFound(string what) => Json(404, Errors("not-found", "Person not found"));

    protected override IResult ServerError(int status) => Json(status, Errors("server-error", "Internal server error"));

    protected override string NewId(int sequence) => (38700 + sequence).ToString(CultureInfo.InvariantCulture);

    public override int? AnnouncedRateLimit => Limit;

    // Per user and minute, and per account and month (the plan's allowance).
    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        response.Headers["x-ratelimit-limit-user"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-limit-user-remaining"] = (exhausted ? 0 : Math.Max(0, Limit - Served)).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-limit-user-reset"] = "60";
        response.Headers["x-ratelimit-limit-org"] = "100000";
        response.Headers["x-ratelimit-limit-org-remaining"] = Math.Max(0, 100000 - Served).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-limit-org-reset"] = "1209600";
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/v2/persons/{id}", (string id) => Delete(id) ? Json(200, new JsonObject { ["success"] = true }) : NotFound(id));

    private static JsonObject Errors(string code, string message)
        => new() { ["errors"] = new JsonArray(new JsonObject { ["code"] = code, ["message"] = message }) };
}
