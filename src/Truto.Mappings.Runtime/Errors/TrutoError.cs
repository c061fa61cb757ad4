using System.Net;
using System.Text.Json;

namespace Truto.Mappings.Errors;

/// <summary>
/// The Truto error envelope: <c>{"statusCode": 404, "error": "Not Found", "message": "…"}</c>,
/// plus <c>truto_is_remote_error</c> and <c>raw_response</c> when the provider answered with the
/// error, and <c>details</c> for validation errors.
/// </summary>
public sealed record TrutoError
{
    /// <summary>Creates an error with a status and a message.</summary>
    public TrutoError(int statusCode, string message)
    {
        StatusCode = statusCode;
        Message = message;
    }

    private static readonly JsonSerializerOptions DetailsOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The HTTP status.</summary>
    public int StatusCode { get; init; }

    /// <summary>The status's reason phrase.</summary>
    public string Error => ReasonPhrase(StatusCode);

    /// <summary>What went wrong and why.</summary>
    public string Message { get; init; }

    /// <summary>True when the provider answered with this error.</summary>
    public bool IsRemoteError { get; init; }

    /// <summary>The provider's body: parsed JSON, or a JSON string holding its text.</summary>
    public JsonElement? RawResponse { get; init; }

    /// <summary>
    /// True when <see cref="RawResponse"/> is only the beginning of the provider's body, cut at
    /// <see cref="TrutoMappingsOptions.MaxRawResponseBytes"/> (written as <c>truto_raw_response_truncated</c>).
    /// </summary>
    public bool RawResponseTruncated { get; init; }

    /// <summary>Validation details, e.g. <c>{"failures": [{"field": "id", "message": "…"}]}</c>.</summary>
    public JsonElement? Details { get; init; }

    /// <summary>A 400 naming the bad request field.</summary>
    public static TrutoError BadRequest(string field, string message)
    {
        var details = JsonSerializer.SerializeToElement(
            new Dictionary<string, object> { ["failures"] = new[] { new Dictionary<string, string> { ["field"] = field, ["message"] = message } } },
            DetailsOptions);
        return new TrutoError(400, message) { Details = details };
    }

    /// <summary>Writes the envelope's members (the caller writes the braces, so it can add <c>errors</c>).</summary>
    public void WriteMembers(Utf8JsonWriter writer)
    {
        var unlimited = long.MaxValue;
        WriteMembers(writer, ref unlimited, chunk: null);
    }

    /// <summary>
    /// Writes the members with at most <paramref name="rawBudget"/> bytes of <c>raw_response</c>
    /// (what is written is taken off it); with a <paramref name="chunk"/>, <c>raw_response</c> is
    /// left out and <c>"chunk": n</c> written instead: the batch answer holds it once, in <c>chunk_errors</c>.
    /// </summary>
    internal void WriteMembers(Utf8JsonWriter writer, ref long rawBudget, int? chunk)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("statusCode"u8, StatusCode);
        writer.WriteString("error"u8, Error);
        writer.WriteString("message"u8, Message);
        if (IsRemoteError)
        {
            writer.WriteBoolean("truto_is_remote_error"u8, true);
        }
        if (chunk is { } number)
        {
            writer.WriteNumber("chunk"u8, number);
        }
        else if (IsRemoteError)
        {
            writer.WritePropertyName("raw_response"u8);
            var cut = false;
            if (RawResponse is { } raw)
            {
                cut = RawResponses.Write(writer, raw, ref rawBudget);
            }
            else
            {
                writer.WriteNullValue();
            }
            if (cut || RawResponseTruncated)
            {
                writer.WriteBoolean("truto_raw_response_truncated"u8, true);
            }
        }
        if (Details is { } details)
        {
            writer.WritePropertyName("details"u8);
            details.WriteTo(writer);
        }
    }

    /// <summary>Writes the whole envelope.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        WriteMembers(writer);
        writer.WriteEndObject();
    }

    /// <summary>
    /// The standard reason phrase of an HTTP status ("Not Found"), from the IANA registry; "Error"
    /// for a status without one. Written out, never derived from <see cref="HttpStatusCode"/> names:
    /// those split into words wrongly ("O K", "Http Version") and some statuses have two names.
    /// </summary>
    public static string ReasonPhrase(int status) => status switch
    {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        208 => "Already Reported",
        226 => "IM Used",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        305 => "Use Proxy",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "I'm a teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        506 => "Variant Also Negotiates",
        507 => "Insufficient Storage",
        508 => "Loop Detected",
        510 => "Not Extended",
        511 => "Network Authentication Required",
        _ => "Error",
    };
}
