using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Http;

/// <summary>Reads JSON request bodies with the server's size limit and clear errors.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body as a JSON object; an empty body reads as <c>{}</c>. Read once per request and
    /// kept, so a filter (idempotency) and the handler see the same object.
    /// </summary>
    public static async Task<(JsonObject? Body, TrutoError? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.HttpContext.Features.Get<ReadBody>() is { } read)
        {
            return (read.Body, read.Error);
        }
        var (body, error) = await ReadAsync(request, cancellationToken);
        request.HttpContext.Features.Set(new ReadBody(body, error));
        return (body, error);
    }

    private static async Task<(JsonObject? Body, TrutoError? Error)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken);
            if (buffer.Length == 0)
            {
                return (new JsonObject(), null);
            }
            var node = JsonNode.Parse(buffer.ToArray());
            return node is JsonObject obj
                ? (obj, null)
                : (null, TrutoError.BadRequest("body", "The request body must be a JSON object."));
        }
        catch (JsonException e)
        {
            return (null, TrutoError.BadRequest("body", $"The request body is not valid JSON: {e.Message}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, new TrutoError(413, "The request body is larger than the server accepts."));
        }
    }

    /// <summary>The request feature holding what was read.</summary>
    private sealed record ReadBody(JsonObject? Body, TrutoError? Error);
}
