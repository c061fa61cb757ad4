using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Errors;
using Truto.Mappings.Server.Http;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// The batch-delete body <c>{"id": […], "remote_data": {…}}</c>, bound from the request. A body
/// that cannot be read carries its <see cref="Error"/> instead of failing the binding, so the
/// account filter still answers first, as it always has. <c>remote_data</c> is passed on as it
/// is: the runtime client alone decides that it must be an object. <c>callback_url</c> is kept as
/// sent: only a job (<c>Prefer: respond-async</c>) reads it, so the synchronous call stays as it was.
/// </summary>
public sealed record BatchDeleteBody(IReadOnlyList<string> Ids, JsonElement? RemoteData, TrutoError? Error)
{
    /// <summary>The body's <c>callback_url</c> member as sent (any JSON), or null when absent.</summary>
    public JsonNode? CallbackUrl { get; init; }

    public static async ValueTask<BatchDeleteBody?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (body, error) = await RequestBody.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            return new BatchDeleteBody([], null, error);
        }
        var (ids, idsError) = ReadIds(body["id"]);
        return new BatchDeleteBody(ids, body["remote_data"] is { } remote ? JsonSerializer.SerializeToElement(remote) : null, idsError) { CallbackUrl = body["callback_url"] };
    }

    private static (IReadOnlyList<string> Ids, TrutoError? Error) ReadIds(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return ([], null);
            case JsonArray array:
                var ids = new List<string>();
                foreach (var item in array)
                {
                    if (item?.GetValueKind() is JsonValueKind.String or JsonValueKind.Number)
                    {
                        ids.Add(item.GetValueKind() == JsonValueKind.String ? item.GetValue<string>() : item.ToJsonString());
                    }
                    else
                    {
                        return ([], TrutoError.BadRequest("id", "id must be an array of strings (or numbers)."));
                    }
                }
                return (ids, null);
            default:
                return ([], TrutoError.BadRequest("id", "id must be an array of contact ids, e.g. {\"id\": [\"1\", \"2\"]}."));
        }
    }
}
