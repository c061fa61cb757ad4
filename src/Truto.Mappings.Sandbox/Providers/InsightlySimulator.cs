using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Insightly v3.1: delete a contact (202, no body); the API key is the Basic user name.</summary>
internal sealed class InsightlySimulator() : ProviderSimulator("insightly")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 40000;

    private const string ApiKey = "sandbox-insightly-key";

    public override string DeleteRequest => "DELETE /Contacts/{id}";

    protected override JsonObject Credentials() => new() { ["pod"] = "na1", ["api_key"] = ApiKey };

    protected override bool IsAuthorized(HttpRequest request) => HasBasic(request, ApiKey, "");

    // ASP.NET Web API's answers, which Insightly's v3.1 API gives.
    protected override IResult Unauthorized() => Json(401, new JsonObject { ["Message"] = "Authorization has been denied for this request." });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["Message"] = "API rate limit exceeded" });

    protected override IResult NotFound(string what) => Json(404, new JsonObject { ["Message"] = $"Contact with id {what} was not found" });

    protected override IResult ServerError(int status) => Json(status, new JsonObject { ["Message"] = "An error has occurred." });

    protected override string NewId(int sequence) => (123000 + sequence).ToString(CultureInfo.InvariantCulture);

    public override int? AnnouncedRateLimit => Limit;

    // The plan's daily allowance (Plus: 40,000).
    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        response.Headers["X-RateLimit-Limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = (exhausted ? 0 : Math.Max(0, Limit - Served)).ToString(CultureInfo.InvariantCulture);
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/Contacts/{id}", (string id) => Delete(id) ? Empty(202) : NotFound(id));
}
