using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Capsule v2: delete a party (204).</summary>
internal sealed class CapsuleSimulator() : ProviderSimulator("capsule")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 4000;

    private const string Token = "sandbox-capsule-token";

    public override string DeleteRequest => "DELETE /parties/{id}";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>Capsule's OAuth: 7-day access tokens, refresh tokens that do not rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("capsule", new CapsuleOAuthDialect());

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, new JsonObject { ["message"] = "Authentication failed: invalid token" });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["error"] = "rate limit reached" });

    protected override IResult NotFound(string what) => Json(404, new JsonObject { ["message"] = "Could not find resource" });

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => AddXRateLimitHeaders(response, Limit, exhausted, TimeSpan.FromMinutes(30));

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/parties/{id}", (string id) => Delete(id) ? Empty(204) : NotFound(id));
}
