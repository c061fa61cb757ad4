using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Server.Http;

/// <summary>Writes the Truto error envelope for every failure the server itself answers.</summary>
public static class ErrorResponses
{
    public static async Task WriteAsync(HttpContext context, TrutoError error)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(error);
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = TrutoErrorResult.JsonContentType;
        await using var json = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        error.WriteTo(json);
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>As an endpoint result.</summary>
    public static TrutoErrorResult Result(TrutoError error) => new(error);
}
