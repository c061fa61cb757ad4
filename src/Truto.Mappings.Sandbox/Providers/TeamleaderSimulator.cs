using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Teamleader Focus (RPC style): <c>POST /contacts.delete</c> with <c>{"id":"…"}</c> answers 204;
/// an unknown id is a 404 <c>{"errors":[{"title":"Resource not found","status":404}]}</c>; ids are UUIDs.
/// </summary>
internal sealed class TeamleaderSimulator() : ProviderSimulator("teamleader")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 200;

    private const string Token = "sandbox-teamleader-token";

    protected override JsonObject Credentials() => new() { ["oauth"] = OAuth(Token) };

    /// <summary>Teamleader's OAuth: 1-hour access tokens, single-use refresh tokens (Teamleader's API Blueprint, github.com/teamleadercrm/api).</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("teamleader", new TeamleaderOAuthDialect());

    public override string DeleteRequest => "POST /contacts.delete";

    /// <inheritdoc />
    public override string UnknownId => "8f14e45f-ceea-467e-a9c5-6f2b1b0c9d42";

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error("Unauthorized", 401));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error("Rate limit exceeded", 429));

    protected override IResult NotFound(string what) => Json(404, Error("Resource not found", 404));

    protected override IResult ServerError(int status) => Json(status, Error("Internal server error", status));

    public override int? AnnouncedRateLimit => Limit;

    // 200 per sliding minute; X-RateLimit-Reset is an ISO 8601 time with a colon-less offset, as documented.
    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        AddXRateLimitHeaders(response, Limit, exhausted, TimeSpan.FromMinutes(1));
        response.Headers["X-RateLimit-Reset"] = DateTimeOffset.UtcNow.AddMinutes(1).ToOffset(TimeSpan.FromHours(1))
            .ToString("yyyy-MM-dd'T'HH:mm:ss.fffzz00", CultureInfo.InvariantCulture);
    }

    protected override string NewId(int sequence) => new Guid(sequence, 0x0af0, 0x40e5, [0x82, 0xf3, 0xd3, 0x2d, 0, 0, 0, 1]).ToString();

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapPost("/contacts.delete", async (HttpRequest request) =>
        {
            string? id;
            try
            {
                var body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
                id = body?["id"]?.GetValue<string>();
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                id = null;
            }
            return id is null ? Json(400, Error("The id field is required.", 400))
                : Delete(id) ? Empty(204)
                : NotFound(id);
        });

    private static JsonObject Error(string title, int status)
        => new() { ["errors"] = new JsonArray(new JsonObject { ["title"] = title, ["status"] = status }) };
}
