using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace Truto.Mappings.Http;

/// <summary>One part of a <c>multipart/mixed</c> batch answer: the HTTP response it holds.</summary>
/// <param name="ContentId">The part's <c>Content-ID</c>, or null when it has none.</param>
/// <param name="Status">The status of the part's status line.</param>
/// <param name="Headers">The part response's headers, in order.</param>
/// <param name="Body">The part response's body (empty when it has none).</param>
internal sealed record AnswerPart(string? ContentId, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body);

/// <summary>The parts of a batch answer, or why it could not be read.</summary>
/// <param name="Parts">The parts in answer order; null when the answer is malformed.</param>
/// <param name="Problem">What is wrong with the answer, in words for an error message.</param>
internal sealed record MultipartAnswerParts(IReadOnlyList<AnswerPart>? Parts, string? Problem);

/// <summary>
/// Reads a <c>multipart/mixed</c> batch answer with ASP.NET Core's <see cref="MultipartReader"/>,
/// and each <c>application/http</c> part's response by hand: a status line, headers up to an empty
/// line, then the body. Every section is bounded by <c>Runtime:MaxResponseBytes</c>, as the whole
/// answer is already.
/// </summary>
internal static class MultipartAnswer
{
    /// <summary>The most bytes of one part's MIME headers; real ones are a few dozen.</summary>
    private const int MaxSectionHeaderBytes = 16 * 1024;

    /// <summary>The parts of <paramref name="body"/>, whose <c>Content-Type</c> is <paramref name="contentType"/>.</summary>
    public static async Task<MultipartAnswerParts> ReadAsync(ReadOnlyMemory<byte> body, string? contentType, long maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var type) || !string.Equals(type.MediaType, "multipart/mixed", StringComparison.OrdinalIgnoreCase))
        {
            return Malformed($"its Content-Type is {(string.IsNullOrEmpty(contentType) ? "missing" : "'" + Quoted(contentType) + "'")}, not multipart/mixed");
        }
        var boundary = type.Parameters.FirstOrDefault(p => p.Name.Equals("boundary", StringComparison.OrdinalIgnoreCase))?.Value?.Trim('"');
        if (string.IsNullOrEmpty(boundary))
        {
            return Malformed("its Content-Type names no boundary");
        }
        var stream = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(body, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(body.ToArray(), writable: false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = new MultipartReader(boundary, stream)
            {
                HeadersLengthLimit = MaxSectionHeaderBytes,
                BodyLengthLimit = maxBytes,
            };
            var parts = new List<AnswerPart>();
            try
            {
                while (await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false) is { } section)
                {
                    var number = parts.Count + 1;
                    if (!MediaTypeHeaderValue.TryParse(section.ContentType, out var partType) || !string.Equals(partType.MediaType, "application/http", StringComparison.OrdinalIgnoreCase))
                    {
                        return Malformed($"part {number.ToString(CultureInfo.InvariantCulture)} is {(section.ContentType is { } other ? "'" + Quoted(other) + "'" : "without a Content-Type")}, not application/http");
                    }
                    var content = new MemoryStream();
                    await section.Body.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                    var contentId = section.Headers is { } headers && headers.TryGetValue("Content-ID", out var id) ? id.ToString().Trim() : null;
                    if (ReadResponse(content.ToArray(), contentId, out var part) is { } problem)
                    {
                        return Malformed($"part {number.ToString(CultureInfo.InvariantCulture)} {problem}");
                    }
                    parts.Add(part!);
                }
            }
            catch (Exception e) when (e is IOException or InvalidDataException)
            {
                // MultipartReader's words: "Unexpected end of Stream, the content may have already been read by another component", a limit passed.
                return Malformed(e.Message.TrimEnd('.'));
            }
            return new MultipartAnswerParts(parts, null);
        }
    }

    /// <summary>Reads the HTTP response of one part; returns what is wrong with it, or null.</summary>
    private static string? ReadResponse(ReadOnlyMemory<byte> content, string? contentId, out AnswerPart? part)
    {
        part = null;
        var span = content.Span;
        var headerEnd = span.IndexOf("\r\n\r\n"u8);
        var separator = 4;
        if (headerEnd < 0)
        {
            // A part that ends right after its headers (a 204) may lack the empty line's CRLF.
            headerEnd = span.Length;
            separator = 0;
        }
        // Without the empty line (a part that ends after its headers) the last header may keep its CRLF.
        var head = Encoding.UTF8.GetString(span[..headerEnd]).TrimEnd('\r', '\n');
        var lines = head.Split("\r\n");
        var statusLine = lines[0].Split(' ', 3);
        if (statusLine.Length < 2 || !statusLine[0].StartsWith("HTTP/", StringComparison.Ordinal)
            || statusLine[1].Length != 3 || !int.TryParse(statusLine[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status) || status < 100)
        {
            return "does not start with an HTTP status line ('HTTP/1.1 204 No Content')";
        }
        var headers = new List<KeyValuePair<string, string>>(lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return $"has a header line without a name and ':' ('{Quoted(line)}')";
            }
            headers.Add(new(line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        var body = content[Math.Min(content.Length, headerEnd + separator)..];
        // The line break before the next boundary belongs to the boundary, but writers add more.
        while (body.Length > 0 && body.Span[^1] is (byte)'\r' or (byte)'\n')
        {
            body = body[..^1];
        }
        part = new AnswerPart(string.IsNullOrEmpty(contentId) ? null : contentId, status, headers, body);
        return null;
    }

    private static MultipartAnswerParts Malformed(string problem) => new(null, problem);

    /// <summary>Provider text quoted in a problem, cut short: the whole answer is the error's raw_response already.</summary>
    private static string Quoted(string text)
    {
        const int Max = 100;
        if (text.Length <= Max)
        {
            return text;
        }
        var length = char.IsHighSurrogate(text[Max - 1]) ? Max - 1 : Max;
        return string.Concat(text.AsSpan(0, length), "…");
    }
}
