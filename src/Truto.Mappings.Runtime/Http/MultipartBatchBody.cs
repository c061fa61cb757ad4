using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.Http;

/// <summary>
/// Writes the parts of a batch request as a <c>multipart/mixed</c> body (OData's <c>$batch</c>):
/// each part an <c>application/http</c> request line on the call's base path with its headers,
/// numbered by <c>Content-ID</c> from 1 in id order, under a boundary no one can predict.
/// </summary>
internal static class MultipartBatchBody
{
    /// <summary>The body for <paramref name="parts"/>; <paramref name="basePath"/> is the base URL's path (<c>/api/data/v9.2</c>), already encoded.</summary>
    public static MultipartContent Create(IReadOnlyList<ProviderRequestPart> parts, string basePath)
    {
        // A random boundary per call: no id or header value can contain it by design.
        var content = new MultipartContent("mixed", "batch_" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < parts.Count; i++)
        {
            content.Add(Part(parts[i], basePath.TrimEnd('/'), i + 1));
        }
        return content;
    }

    private static ByteArrayContent Part(ProviderRequestPart part, string basePath, int contentId)
    {
        var text = new StringBuilder()
            .Append(Checked(part.Method)).Append(' ').Append(Checked(basePath + part.Path)).Append(" HTTP/1.1\r\n");
        foreach (var (name, value) in part.Headers)
        {
            text.Append(Checked(name)).Append(": ").Append(Checked(value)).Append("\r\n");
        }
        text.Append("\r\n");
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text.ToString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/http");
        content.Headers.TryAddWithoutValidation("Content-Transfer-Encoding", "binary");
        content.Headers.TryAddWithoutValidation("Content-ID", contentId.ToString(CultureInfo.InvariantCulture));
        return content;
    }

    /// <summary>
    /// Ids and context values never hold control characters (they are refused before a call is
    /// built); this keeps a YAML value from starting another header or request inside the part.
    /// </summary>
    private static string Checked(string text)
        => Requests.ControlCharacters.In(text)
            ? throw new InvalidOperationException("A part of the batch request would contain a control character.")
            : text;
}
