using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Zoho CRM v8: delete one or many Contacts; per-record results, 207 when mixed.</summary>
internal sealed class ZohoSimulator() : ProviderSimulator("zoho")
{
    private const string Token = "sandbox-zoho-token";
    private const string Scheme = "Zoho-oauthtoken ";
    private const int MaxIds = 100;

    public override string DeleteRequest => "DELETE /Contacts/{id}";

    protected override JsonObject Credentials() => new() { ["api_domain"] = "https://www.zohoapis.com", ["oauth"] = OAuth(Token) };

    /// <summary>Zoho's OAuth: 1-hour access tokens, <c>api_domain</c> in the token answer, refresh tokens that do not rotate.</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("zoho", new ZohoOAuthDialect());

    protected override bool IsAuthorized(HttpRequest request)
        => request.Headers.Authorization.ToString() is var header && header.StartsWith(Scheme, StringComparison.Ordinal)
            && (header[Scheme.Length..] == Token || OAuthServer.Check(header[Scheme.Length..]) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Json(401, Error("INVALID_TOKEN", "invalid oauth token"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error("TOO_MANY_REQUESTS", "too many requests"));

    protected override IResult NotFound(string what) => Json(400, new JsonObject { ["data"] = new JsonArray(Record(what, deleted: false)) });

    protected override string NewId(int sequence) => (5_725_767_000_000_000_000 + sequence).ToString(CultureInfo.InvariantCulture);

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/Contacts/{id}", (string id) => Delete(id) ? Json(200, new JsonObject { ["data"] = new JsonArray(Record(id, deleted: true)) }) : NotFound(id));
        routes.MapDelete("/Contacts", (HttpRequest request) =>
        {
            var ids = SplitIds(request.Query["ids"]);
            if (ids.Length == 0)
            {
                return Json(400, Error("REQUIRED_PARAM_MISSING", "One of the expected parameter is missing"));
            }
            if (ids.Length > MaxIds)
            {
                var limit = Error("LIMIT_EXCEEDED", $"the number of records exceeds the limit of {MaxIds}");
                limit["details"] = new JsonObject { ["limit"] = MaxIds };
                return Json(400, limit);
            }
            var results = ids.Select(id => (Id: id, Deleted: Delete(id))).ToList();
            var status = results.All(r => r.Deleted) ? 200 : results.Any(r => r.Deleted) ? 207 : 400;
            return Json(status, new JsonObject { ["data"] = new JsonArray(results.Select(r => (JsonNode)Record(r.Id, r.Deleted)).ToArray()) });
        });
    }

    private static JsonObject Record(string id, bool deleted) => deleted
        ? new JsonObject { ["code"] = "SUCCESS", ["details"] = new JsonObject { ["id"] = id }, ["message"] = "record deleted", ["status"] = "success" }
        : new JsonObject { ["code"] = "INVALID_DATA", ["details"] = new JsonObject { ["id"] = id }, ["message"] = "the id given seems to be invalid", ["status"] = "error" };

    private static JsonObject Error(string code, string message) => new() { ["code"] = code, ["details"] = new JsonObject(), ["message"] = message, ["status"] = "error" };
}
