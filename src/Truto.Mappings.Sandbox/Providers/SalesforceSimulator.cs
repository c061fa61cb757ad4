using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Salesforce REST: sObject delete (204) and sObject Collections delete (per-item results in request order).</summary>
internal sealed class SalesforceSimulator() : ProviderSimulator("salesforce")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 5000;

    private const string Token = "sandbox-salesforce-token";
    private const int MaxIds = 200;

    public override string DeleteRequest => "DELETE /sobjects/Contact/{id}";

    /// <inheritdoc />
    public override string UnknownId => "003Hs9999999999IAZ";

    protected override JsonObject Credentials() => new() { ["instance_url"] = "https://sandbox.my.salesforce.com", ["oauth"] = OAuth(Token) };

    /// <summary>Salesforce's OAuth: sessions of 2 hours, PKCE, <c>instance_url</c> in the token answer, refresh tokens that do not rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("salesforce", new SalesforceOAuthDialect());

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Errors("Session expired or invalid", "INVALID_SESSION_ID"));

    // Salesforce signals its API limit with a 403.
    protected override IResult RateLimited(int retryAfterSeconds) => Json(403, Errors("TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED"));

    protected override IResult NotFound(string what) => Json(404, Errors("The requested resource does not exist", "NOT_FOUND"));

    protected override IResult ServerError(int status) => Json(status, Errors("An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678", "UNKNOWN_EXCEPTION"));

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => response.Headers["Sforce-Limit-Info"] = $"api-usage={(exhausted ? Limit : Math.Min(Limit, 17 + Served)).ToString(CultureInfo.InvariantCulture)}/{Limit.ToString(CultureInfo.InvariantCulture)}";

    protected override string NewId(int sequence) => "003Hs" + sequence.ToString("D10", CultureInfo.InvariantCulture) + "IAZ";

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/sobjects/Contact/{id}", (string id) => Delete(id) ? Empty(204) : NotFound(id));
        routes.MapDelete("/composite/sobjects", (HttpRequest request) =>
        {
            var ids = SplitIds(request.Query["ids"]);
            if (ids.Length is 0 or > MaxIds)
            {
                return Json(400, Errors($"The number of records in a collection must be between 1 and {MaxIds}.", "INVALID_BATCH_SIZE"));
            }
            var results = new JsonArray();
            foreach (var id in ids)
            {
                results.Add(Delete(id)
                    ? new JsonObject { ["id"] = id, ["success"] = true, ["errors"] = new JsonArray() }
                    : new JsonObject
                    {
                        ["success"] = false,
                        ["errors"] = new JsonArray(new JsonObject { ["statusCode"] = "ENTITY_IS_DELETED", ["message"] = "entity is deleted", ["fields"] = new JsonArray() }),
                    });
            }
            return Json(200, results);
        });
    }

    private static JsonArray Errors(string message, string code) => new(new JsonObject { ["message"] = message, ["errorCode"] = code });
}
