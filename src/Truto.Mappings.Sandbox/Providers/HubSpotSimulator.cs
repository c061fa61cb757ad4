using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>HubSpot CRM v3: archive one (204, also for unknown ids) and batch archive (204, at most 100 inputs).</summary>
internal sealed class HubSpotSimulator() : ProviderSimulator("hubspot")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 190;

    private const string Token = "sandbox-hubspot-token";
    private const int MaxInputs = 100;

    public override string DeleteRequest => "DELETE /crm/v3/objects/contacts/{id}";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>HubSpot's OAuth: 30-minute access tokens, refresh tokens that do not rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("hubspot", new HubSpotOAuthDialect());

    public override bool DeletesUnknownIds => true;

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error("Authentication credentials not found. This API supports OAuth 2.0 authentication.", "INVALID_AUTHENTICATION"));

    protected override IResult Unauthorized(HttpRequest request)
        => OAuthServer.Check(BearerToken(request)) == AccessTokenStatus.Expired ? Json(401, HubSpotOAuthDialect.ExpiredBody()) : Unauthorized();

    protected override IResult RateLimited(int retryAfterSeconds)
    {
        var body = Error("You have reached your secondly limit.", "RATE_LIMITS");
        body["errorType"] = "RATE_LIMIT";
        body["policyName"] = "SECONDLY";
        return Json(429, body);
    }

    protected override IResult NotFound(string what) => Json(404, Error("Resource not found", "OBJECT_NOT_FOUND"));

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        var remaining = exhausted ? 0 : Math.Max(0, 190 - Served);
        response.Headers["X-HubSpot-RateLimit-Max"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-HubSpot-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-HubSpot-RateLimit-Interval-Milliseconds"] = "10000";
        response.Headers["X-HubSpot-RateLimit-Secondly"] = "19";
        response.Headers["X-HubSpot-RateLimit-Secondly-Remaining"] = exhausted ? "0" : "18";
        response.Headers["X-HubSpot-RateLimit-Daily"] = "250000";
        response.Headers["X-HubSpot-RateLimit-Daily-Remaining"] = (250000 - Served).ToString(CultureInfo.InvariantCulture);
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/crm/v3/objects/contacts/{id}", (string id) =>
        {
            Delete(id);
            return Empty(204);
        });
        routes.MapPost("/crm/v3/objects/contacts/batch/archive", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body) as JsonObject;
            if (body?["inputs"] is not JsonArray inputs || inputs.Any(i => i?["id"] is null))
            {
                return Json(400, Error("Invalid input JSON: expected {\"inputs\": [{\"id\": \"…\"}]}", "VALIDATION_ERROR"));
            }
            if (inputs.Count > MaxInputs)
            {
                return Json(400, Error($"Batch input must contain at most {MaxInputs} items; got {inputs.Count}.", "VALIDATION_ERROR"));
            }
            foreach (var input in inputs)
            {
                Delete(input!["id"]!.ToString());
            }
            return Empty(204);
        });
    }

    private static JsonObject Error(string message, string category)
        => new() { ["status"] = "error", ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString(), ["category"] = category };
}
