using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Nutshell REST: delete a contact (204, or 200 with the contact); 401 and 404 are HTML pages.</summary>
public sealed class NutshellSimulator() : ProviderSimulator("nutshell")
{
    private const string Username = "sandbox@example.com";
    private const string ApiKey = "sandbox-nutshell-key";

    /// <summary>Answer deletes with the contact's body (200) instead of 204, as Nutshell may.</summary>
    public bool DeleteReturnsBody { get; set; }

    /// <inheritdoc />
    public override string DeleteRequest => "DELETE /contacts/{id}";

    /// <inheritdoc />
    public override string UnknownId => "999999-contacts";

    /// <inheritdoc />
    protected override JsonObject Credentials() => new() { ["username"] = Username, ["api_key"] = ApiKey };

    /// <inheritdoc />
    protected override bool IsAuthorized(HttpRequest request) => HasBasic(request, Username, ApiKey);

    /// <inheritdoc />
    protected override IResult Unauthorized() => Html(401, "401 Unauthorized");

    /// <inheritdoc />
    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Errors("429", "Too Many Requests"));

    /// <inheritdoc />
    protected override IResult NotFound(string what) => Html(404, "404 Not Found");

    /// <inheritdoc />
    protected override string NewId(int sequence) => sequence.ToString(CultureInfo.InvariantCulture) + "-contacts";

    /// <inheritdoc />
    protected override JsonObject? NewRecord(string id, int sequence) => new()
    {
        ["id"] = id,
        ["type"] = "contacts",
        ["name"] = $"Sandbox Person {sequence}",
        ["firstName"] = "Sandbox",
        ["lastName"] = $"Person {sequence}",
        ["jobTitle"] = "CEO",
        ["createdTime"] = 1508393703,
        ["modifiedTime"] = 1508400000,
        ["emails"] = new JsonArray(new JsonObject { ["isPrimary"] = true, ["name"] = "work", ["value"] = $"person{sequence}@example.com" }),
        ["phones"] = new JsonArray(new JsonObject
        {
            ["isPrimary"] = true,
            ["name"] = "phone",
            ["value"] = new JsonObject { ["countryCode"] = "1", ["number"] = "7341234567", ["extension"] = "", ["E164"] = "+17341234567" },
        }),
        ["addresses"] = new JsonArray(new JsonObject
        {
            ["isPrimary"] = true, ["name"] = "address", ["address_1"] = "206 E Huron St", ["address_2"] = "Suite 200",
            ["city"] = "Ann Arbor", ["state"] = "MI", ["postalCode"] = "48103", ["country"] = "US",
        }),
        ["urls"] = new JsonArray(new JsonObject { ["isPrimary"] = true, ["name"] = "LinkedIn", ["value"] = "https://www.linkedin.com/in/sandbox" }),
        ["customFields"] = new JsonObject { ["Favorite color"] = "blue" },
        ["links"] = new JsonObject { ["accounts"] = new JsonArray("1-accounts"), ["owner"] = "5-users", ["tags"] = new JsonArray("1-tags") },
    };

    /// <inheritdoc />
    protected override void MapRoutes(IEndpointRouteBuilder routes)
        => routes.MapDelete("/contacts/{id}", (string id) =>
        {
            if (!id.EndsWith("-contacts", StringComparison.Ordinal))
            {
                return Json(400, Errors("400", "Invalid contact id", $"'{id}' is not a contact id (expected N-contacts)."));
            }
            if (!Contacts.TryRemove(id, out var record))
            {
                return NotFound(id);
            }
            if (!DeleteReturnsBody)
            {
                return Empty(204);
            }
            var contact = record ?? new JsonObject { ["id"] = id, ["type"] = "contacts" };
            contact["deletedTime"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return Json(200, new JsonObject
            {
                ["meta"] = new JsonObject { ["instanceId"] = "12345" },
                ["contacts"] = new JsonArray(contact),
                ["accounts"] = new JsonArray(new JsonObject { ["id"] = "1-accounts", ["name"] = "Nutshell" }),
                ["tags"] = new JsonArray(new JsonObject { ["id"] = "1-tags", ["name"] = "vip" }),
            });
        });

    private static JsonObject Errors(string status, string title, string? detail = null)
        => new() { ["errors"] = new JsonArray(new JsonObject { ["status"] = status, ["title"] = title, ["detail"] = detail }) };
}
