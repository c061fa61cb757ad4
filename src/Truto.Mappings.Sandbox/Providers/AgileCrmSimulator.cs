using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>
/// Agile CRM: delete a contact (204, also for an id it does not have); HTTP Basic with the user's
/// email and REST API key; errors are HTML pages.
/// </summary>
internal sealed class AgileCrmSimulator() : ProviderSimulator("agilecrm")
{
    private const string Email = "sandbox@example.com";
    private const string ApiKey = "sandbox-agilecrm-key";

    public override string DeleteRequest => "DELETE /contacts/{id}";

    protected override JsonObject Credentials() => new() { ["domain"] = "sandbox", ["email"] = Email, ["api_key"] = ApiKey };

    public override bool DeletesUnknownIds => true;

    protected override bool IsAuthorized(HttpRequest request) => HasBasic(request, Email, ApiKey);

    protected override IResult Unauthorized() => Html(401, "401 Unauthorized");

    protected override IResult RateLimited(int retryAfterSeconds) => Html(429, "429 Too Many Requests");

    protected override IResult NotFound(string what) => Html(404, "404 Not Found");

    protected override IResult ServerError(int status) => Html(status, status.ToString(CultureInfo.InvariantCulture) + " Server Error");

    protected override string NewId(int sequence) => (5086100271923200L + sequence).ToString(CultureInfo.InvariantCulture);

    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts/{id}", (string id) =>
        {
            Delete(id);
            return Empty(204);
        });
}
