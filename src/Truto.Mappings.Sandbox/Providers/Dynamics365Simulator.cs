using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Dataverse Web API: delete a contact row (<c>DELETE /contacts(&lt;guid&gt;)</c>, 204), OData
/// <c>{"error": {"code", "message"}}</c> errors with the platform's hexadecimal codes, an empty 401
/// (as Entra-protected APIs answer a bad token), and the service protection 429. Tokens come from
/// Microsoft Entra ID's v2.0 endpoint (<see cref="EntraOAuthDialect"/>).
/// </summary>
internal sealed class Dynamics365Simulator() : ProviderSimulator("dynamics365")
{
    private const string Token = "sandbox-dynamics365-token";
    private const int WindowLimit = 6000;

    protected override JsonObject Credentials() => new() { ["instance_url"] = "https://sandbox.crm.dynamics.com", ["oauth"] = OAuth(Token) };

    /// <summary>Entra ID v2.0: 60-90 minute access tokens, a new refresh token on every refresh (the old one not revoked).</summary>
    public override OAuthServerSimulator OAuthServer { get; } = new("dynamics365", new EntraOAuthDialect());

    public override string DeleteRequest => "DELETE /contacts({id})";

    /// <inheritdoc />
    public override string UnknownId => "8f14e45f-ceea-467e-a9c5-6f2b1b0c9d44";

    protected override bool IsAuthorized(HttpRequest request)
        => BearerToken(request) is { } token && (token == Token || OAuthServer.Check(token) == AccessTokenStatus.Valid);

    protected override IResult Unauthorized() => Empty(401);

    // 0x80072322: "Number of requests exceeded the limit" (service protection; the code is from
    // Microsoft's API limits page as remembered, unverified here).
    protected override IResult RateLimited(int retryAfterSeconds)
        => Json(429, Error("0x80072322", $"Number of requests exceeded the limit of {WindowLimit} over time window of 300 seconds."));

    protected override IResult NotFound(string what) => Json(404, Error("0x80040217", $"contact With Id = {what} Does Not Exist"));

    protected override IResult ServerError(int status) => Json(status, Error("0x80040216", "An unexpected error occurred."));

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => response.Headers["x-ms-ratelimit-burst-remaining-xrm-requests"] = (exhausted ? 0 : Math.Max(0, WindowLimit - 1 - Served)).ToString(CultureInfo.InvariantCulture);

    protected override string NewId(int sequence) => new Guid(sequence, 0x0d36, 0x4f0b, [0xa3, 0x6e, 0x00, 0x0d, 0x3a, 0x1b, 0x2c, 0x3d]).ToString();

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts({id})", (string id) => Delete(id) ? Empty(204) : NotFound(id));

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };
}
