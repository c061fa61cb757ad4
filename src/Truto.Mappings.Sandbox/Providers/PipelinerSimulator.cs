using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Truto.Mappings.Sandbox.Providers;

/// <summary>Pipeliner: delete a Contacts entity; batch-delete answers ids and error objects in request order.</summary>
internal sealed class PipelinerSimulator() : ProviderSimulator("pipeliner")
{
    private const string Username = "sandbox-pipeliner-user";
    private const string Password = "sandbox-pipeliner-password";

    public override string DeleteRequest => "DELETE /entities/Contacts/{id}";

    /// <inheritdoc />
    public override string UnknownId => "8f14e45f-ceea-467e-a9c5-6f2b1b0c9d41";

    protected override JsonObject Credentials() => new() { ["region"] = "eu-central", ["space_id"] = "1234", ["username"] = Username, ["password"] = Password };

    protected override bool IsAuthorized(HttpRequest request) => HasBasic(request, Username, Password);

    protected override IResult Unauthorized() => Json(401, Error(401, 401, "ERROR_UNAUTHORIZED", "Unauthorized"));

    protected override IResult RateLimited(int retryAfterSeconds) => Json(429, Error(429, 429, "ERROR_TOO_MANY_REQUESTS", "Too many requests"));

    protected override IResult NotFound(string what) => Json(404, NotFoundError(what));

    protected override string NewId(int sequence) => new Guid(sequence, 0x1234, 0x4567, [0x89, 0xab, 0xcd, 0xef, 0, 0, 0, 1]).ToString();

    protected override void MapRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/entities/Contacts/{id}", (string id) => Delete(id) ? Json(200, new JsonObject { ["success"] = true, ["data"] = id }) : NotFound(id));
        routes.MapPost("/entities/Contacts/batch-delete", async (HttpRequest request) =>
        {
            JsonArray? ids;
            try
            {
                ids = await JsonNode.ParseAsync(request.Body) as JsonArray;
            }
            catch (JsonException)
            {
                ids = null;
            }
            if (ids is null)
            {
                return Json(400, Error(400, 400, "ERROR_INVALID_BODY", "The body must be a JSON array of entity ids."));
            }
            var data = new JsonArray();
            foreach (var id in ids.Select(i => i?.ToString() ?? ""))
            {
                data.Add(Delete(id) ? JsonValue.Create(id) : NotFoundError(id));
            }
            return Json(200, new JsonObject { ["success"] = true, ["data"] = data });
        });
    }

    private static JsonObject NotFoundError(string id) => Error(404, 2006, "ERROR_ENTITY_NOT_FOUND", $"Entity Contacts with id {id} not found.");

    private static JsonObject Error(int status, int code, string name, string message)
        => new() { ["success"] = false, ["http_status"] = status, ["code"] = code, ["name"] = name, ["message"] = message };
}
