using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Keap REST v2: <c>DELETE /v2/contacts/{id}</c> answers 204; an unknown id is a 404
/// <c>{"code":404,"message":…,"status":"NOT_FOUND","details":[]}</c> (the Error schema of Keap's v2 OpenAPI). Accepts a
/// Personal Access Token as <c>X-Keap-API-Key</c> or an OAuth bearer token; refused credentials get
/// the API gateway's fault body, throttling its 429 <c>Quota Exceeded</c>.
/// </summary>
internal sealed class KeapSimulator() : ProviderSimulator("keap")
{
    private const string ApiKey = "KeapAK-sandbox-keap-key";
    private const int ThrottleLimit = 240;

    protected override JsonObject Credentials() => new() { ["api_key"] = ApiKey };

    /// <summary>Keap's OAuth: 24-hour access tokens, refresh tokens that rotate on every refresh.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("keap", new KeapOAuthDialect());

    // A Personal Access Token / Service Account Key, or an OAuth access token of an app (the two kinds of Keap accounts).
    public override string DeleteRequest => "DELETE /v2/contacts/{id}";

    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers["X-Keap-API-Key"] == ApiKey || (BearerToken(request) is { } token && OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, new JsonObject
    {
        ["fault"] = new JsonObject
        {
            ["faultstring"] = "Invalid Access Token",
            ["detail"] = new JsonObject { ["errorcode"] = "keymanagement.service.invalid_access_token" },
        },
    });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject
    {
        ["code"] = "429",
        ["message"] = "Quota Exceeded",
        ["status"] = "Request Throttled",
        ["details"] = null,
    });

    protected override IResult NotFound(string what) => Json(404, Error(404, "Contact not found", "NOT_FOUND"));

    protected override IResult ServerError(int status) => Json(status, Error(status, "Internal Server Error", "INTERNAL"));

    public override int? AnnouncedRateLimit => ThrottleLimit;

    // The minute throttle's headers; the day quota's (x-keap-product-quota-*) come along as Keap sends them.
    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        var used = exhausted ? ThrottleLimit : Math.Min(ThrottleLimit, Served);
        response.Headers["x-keap-product-throttle-limit"] = ThrottleLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-keap-product-throttle-available"] = (ThrottleLimit - used).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-keap-product-throttle-used"] = used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-keap-product-throttle-time-unit"] = "minute";
        response.Headers["x-keap-product-quota-limit"] = "30000";
        response.Headers["x-keap-product-quota-available"] = Math.Max(0, 30000 - Served).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-keap-product-quota-time-unit"] = "day";
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/v2/contacts/{id}", (string id) => Delete(id) ? Empty(204) : NotFound(id));

    private static JsonObject Error(int code, string message, string status) => new()
    {
        ["code"] = code,
        ["message"] = message,
        ["status"] = status,
        ["details"] = new JsonArray(),
    };
}
