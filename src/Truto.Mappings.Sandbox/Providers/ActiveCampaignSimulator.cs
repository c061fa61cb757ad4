using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>ActiveCampaign v3: delete a contact (200 {}); the API key goes in <c>Api-Token</c>, and bad keys are a 403.</summary>
internal sealed class ActiveCampaignSimulator() : ProviderSimulator("activecampaign")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 5;

    private const string ApiKey = "sandbox-activecampaign-key";

    public override string DeleteRequest => "DELETE /contacts/{id}";

    protected override JsonObject Credentials() => new() { ["api_url"] = "https://sandbox.api-us1.com", ["api_key"] = ApiKey };

    protected override bool IsAuthorized(HttpRequest request) => request.Headers["Api-Token"] == ApiKey;

    // ActiveCampaign's errors page: 403 "could not be authenticated or … not authorized".
    public override int UnauthorizedStatus => 403;

    protected override IResult Unauthorized() => Json(403, new JsonObject { ["message"] = "You are not authorized to access this resource" });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["message"] = "Too Many Requests" });

    protected override IResult NotFound(string what) => Json(404, new JsonObject { ["message"] = "No Result found for Subscriber with id " + what });

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
    {
        response.Headers["RateLimit-Limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["RateLimit-Remaining"] = (exhausted ? 0 : 4).ToString(CultureInfo.InvariantCulture);
    }

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts/{id}", (string id) => Delete(id) ? Json(200, new JsonObject()) : NotFound(id));
}
