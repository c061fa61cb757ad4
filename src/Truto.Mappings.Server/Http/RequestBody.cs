using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Http;

/// <summary>Reads JSON request bodies with the server's size limit and clear errors.</summary>
public static class RequestBody
{
    /// <summary>The body as a JSON object; an empty body reads as <c>{}</c>.</summary>
    public static async Task<(JsonObject? Body, TrutoError? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
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
}
