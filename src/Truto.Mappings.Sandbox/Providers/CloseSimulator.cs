using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Close: delete a contact (200 {}); the API key is the Basic user name.</summary>
internal sealed class CloseSimulator() : ProviderSimulator("close")
{
    /// <summary>The requests a rate-limit window allows, as the provider's headers announce it.</summary>
    private const int Limit = 40;

    private const string ApiKey = "sandbox-close-key";

    public override string DeleteRequest => "DELETE /contact/{id}/";

    /// <inheritdoc />
    public override string UnknownId => "cont_99999999";

    protected override JsonObject Credentials() => new() { ["api_key"] = ApiKey };

    protected override bool IsAuthorized(HttpRequest request) => HasBasic(request, ApiKey, "");

    protected override IResult Unauthorized() => Json(401, new JsonObject { ["error"] = "Unauthorized" });

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, new JsonObject { ["error"] = "Rate limit exceeded" });

    protected override IResult NotFound(string what) => Json(404, new JsonObject { ["error"] = "Empty query: Contact matching query does not exist." });

    protected override string NewId(int sequence) => "cont_" + sequence.ToString("D8", CultureInfo.InvariantCulture);

    public override int? AnnouncedRateLimit => Limit;

    protected override void AddRateLimitHeaders(HttpResponse response, bool exhausted)
        => response.Headers["RateLimit"] = $"limit={Limit.ToString(CultureInfo.InvariantCulture)}, remaining={(exhausted ? 0 : Limit - 1).ToString(CultureInfo.InvariantCulture)}, reset=2";

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contact/{id}/", (string id) => Delete(id) ? Json(200, new JsonObject()) : NotFound(id));
}
