using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Outreach v2 (JSON:API): delete a prospect (204).</summary>
internal sealed class OutreachSimulator() : ProviderSimulator("outreach")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 10000;

    private const string Token = "sandbox-outreach-token";
    private const string JsonApi = "application/vnd.api+json";

    public override string DeleteRequest => "DELETE /prospects/{id}";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>Outreach's OAuth: 2-hour access tokens, refresh tokens that rotate on every refresh.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("outreach", new OutreachOAuthDialect());

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error("unauthorized", "Unauthorized", "The access token is invalid or has expired."), JsonApi);

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error("rateLimitExceeded", "Rate Limit Exceeded", "You have exceeded your permitted rate limit of 10,000; please try again at a later time."), JsonApi);

    protected override IResult NotFound(string what) => Json(404, Error("resourceNotFound", "Resource Not Found", $"Could not find 'prospect' with ID '{what}'."), JsonApi);

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => AddXRateLimitHeaders(response, Limit, exhausted, TimeSpan.FromHours(1));

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/prospects/{id}", (string id) => Delete(id) ? Empty(204) : NotFound(id));

    private static JsonObject Error(string id, string title, string detail)
        => new() { ["errors"] = new JsonArray(new JsonObject { ["id"] = id, ["title"] = title, ["detail"] = detail }) };
}
