using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Pipedrive: v2 delete a person; v1 bulk delete answers the ids it deleted.</summary>
internal sealed class PipedriveSimulator() : ProviderSimulator("pipedrive")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 80;

    private const string ApiKey = "sandbox-pipedrive-key";

    public override string DeleteRequest => "DELETE /v2/persons/{id}";

    protected override JsonObject Credentials() => new() { ["company_domain"] = "sandbox", ["api_key"] = ApiKey };

    /// <summary>Pipedrive's OAuth (Marketplace apps): 1-hour access tokens, HTTP Basic client authentication, <c>api_domain</c> in the token answer.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("pipedrive", new PipedriveOAuthDialect());

    // An API token, or an OAuth access token of an app (the two kinds of Pipedrive accounts).
    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers["x-api-token"] == ApiKey || (BearerToken(request) is { } token && OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, new JsonObject { ["success"] = false, ["error"] = "unauthorized access", ["errorCode"] = 401, ["error_info"] = "Please check developers.pipedrive.com for more information about Pipedrive API." });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["success"] = false, ["error"] = "Too many requests", ["errorCode"] = 429 });

    protected override IResult NotFound(string what) => Json(404, new JsonObject
    {
        ["success"] = false,
        ["error"] = "Person not found",
        ["error_info"] = "Please check developers.pipedrive.com for more information about Pipedrive API.",
        ["data"] = null,
        ["additional_data"] = null,
    });

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        response.Headers["x-ratelimit-limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = (exhausted ? 0 : Limit - 1).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = "2";
        response.Headers["x-daily-requests-left"] = Math.Max(0, 10000 - Served).ToString(CultureInfo.InvariantCulture);
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/v2/persons/{id}", (string id) => Delete(id)
            ? Json(200, new JsonObject { ["success"] = true, ["data"] = new JsonObject { ["id"] = Number(id) } })
            : NotFound(id));
        routes.MapDelete("/v1/persons", (HttpRequest request) =>
        {
            var deleted = SplitIds(request.Query["ids"]).Where(Delete).Select(Number).ToArray();
            return deleted.Length == 0
                ? NotFound("persons")
                : Json(200, new JsonObject { ["success"] = true, ["data"] = new JsonObject { ["id"] = new JsonArray(deleted) } });
        });
    }

    private static JsonNode Number(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? JsonValue.Create(n) : JsonValue.Create(id);
}
