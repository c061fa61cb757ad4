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
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteNumber("statusCode"u8, StatusCode);
        writer.WriteString("error"u8, Error);
        writer.WriteString("message"u8, Message);
        if (IsRemoteError)
        {
            writer.WriteBoolean("truto_is_remote_error"u8, true);
            writer.WritePropertyName("raw_response"u8);
            if (RawResponse is { } raw)
            {
                raw.WriteTo(writer);
            }
            else
            {
                writer.WriteNullValue();
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

    /// <summary>The standard reason phrase of an HTTP status ("Not Found").</summary>
    public static string ReasonPhrase(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => SplitWords(((HttpStatusCode)status).ToString()),
    };

    private static string SplitWords(string name)
        => name.All(char.IsDigit) ? "Error" : string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]) ? " " + c : c.ToString()));
}
