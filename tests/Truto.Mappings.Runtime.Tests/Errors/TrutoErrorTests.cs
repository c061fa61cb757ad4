using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Runtime.Tests.Errors;

/// <summary>The Truto error envelope as JSON.</summary>
public sealed class TrutoErrorTests
{
    private static string Json(TrutoError error) => JsonElements.Write(error.WriteTo);

    [Fact]
    public void The_envelope_has_status_reason_and_message()
        => Assert.Equal("""{"statusCode":404,"error":"Not Found","message":"No contact 51."}""", Json(new TrutoError(404, "No contact 51.")));

    [Fact]
    public void A_remote_error_carries_the_flag_and_the_raw_response()
        => Assert.Equal(
            """{"statusCode":502,"error":"Bad Gateway","message":"m","truto_is_remote_error":true,"raw_response":{"code":"E1"}}""",
            Json(new TrutoError(502, "m") { IsRemoteError = true, RawResponse = JsonElements.Parse("""{"code": "E1"}""") }));

    [Fact]
    public void A_remote_error_without_a_body_has_a_null_raw_response()
        => Assert.Equal(
            """{"statusCode":500,"error":"Internal Server Error","message":"m","truto_is_remote_error":true,"raw_response":null}""",
            Json(new TrutoError(500, "m") { IsRemoteError = true }));

    [Fact]
    public void A_local_error_never_shows_a_raw_response()
        => Assert.Equal(
            """{"statusCode":500,"error":"Internal Server Error","message":"m"}""",
            Json(new TrutoError(500, "m") { RawResponse = JsonElements.Parse("\"secret\"") }));

    [Fact]
    public void BadRequest_names_the_field_in_the_details()
    {
        var error = TrutoError.BadRequest("id", "The id must not be empty.");

        Assert.Equal(400, error.StatusCode);
        Assert.Equal("Bad Request", error.Error);
        Assert.Equal("The id must not be empty.", error.Message);
        Assert.Equal(
            """{"statusCode":400,"error":"Bad Request","message":"The id must not be empty.","details":{"failures":[{"field":"id","message":"The id must not be empty."}]}}""",
            Json(error));
    }

    [Fact]
    public void BadRequest_details_keep_quotes_and_markup_readable()
    {
        var details = TrutoError.BadRequest("truto_response_format", "'xml' is not <unified|raw>.").Details!.Value;

        Assert.Contains("'xml' is not <unified|raw>.", details.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteMembers_leaves_the_braces_to_the_caller()
    {
        var written = JsonElements.Write(w =>
        {
            w.WriteStartObject();
            new TrutoError(429, "slow down").WriteMembers(w);
            w.WriteNumber("errors", 3);
            w.WriteEndObject();
        });

        Assert.Equal("""{"statusCode":429,"error":"Too Many Requests","message":"slow down","errors":3}""", written);
    }

    [Fact]
    public void Messages_with_special_characters_stay_valid_json()
    {
        var message = "quote \" backslash \\ newline \n unicode é 😀";

        var parsed = JsonElements.Parse(Json(new TrutoError(400, message)));

        Assert.Equal(message, parsed.GetProperty("message").GetString());
    }

    [Fact]
    public void Writing_requires_a_writer()
    {
        Assert.Throws<ArgumentNullException>(() => new TrutoError(400, "m").WriteTo(null!));
        Assert.Throws<ArgumentNullException>(() => new TrutoError(400, "m").WriteMembers(null!));
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(404, "Not Found")]
    [InlineData(409, "Conflict")]
    [InlineData(422, "Unprocessable Entity")]
    [InlineData(429, "Too Many Requests")]
    [InlineData(502, "Bad Gateway")]
    [InlineData(504, "Gateway Timeout")]
    [InlineData(200, "OK")]
    [InlineData(204, "No Content")]
    [InlineData(421, "Misdirected Request")]
    [InlineData(451, "Unavailable For Legal Reasons")]
    [InlineData(507, "Insufficient Storage")]
    public void ReasonPhrase_is_the_standard_phrase(int status, string phrase)
        => Assert.Equal(phrase, TrutoError.ReasonPhrase(status));

    [Fact]
    public void ReasonPhrase_matches_the_registry_for_every_status_aspnetcore_knows()
    {
        // ASP.NET Core's table follows the IANA registry plus a few unregistered codes (306, 419,
        // 499), which are "Error" here.
        var differences = Enumerable.Range(100, 500)
            .Select(status => (status, theirs: Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status), ours: TrutoError.ReasonPhrase(status)))
            .Where(p => p.theirs.Length > 0 && p.theirs != p.ours)
            .Select(p => p.status)
            .ToList();
        Assert.Equal([306, 419, 499], differences);
    }

    [Theory]
    [InlineData(200, "OK")]
    [InlineData(203, "Non-Authoritative Information")]
    [InlineData(226, "IM Used")]
    [InlineData(302, "Found")]
    [InlineData(414, "URI Too Long")]
    [InlineData(505, "HTTP Version Not Supported")]
    public void ReasonPhrase_is_never_a_split_enum_name(int status, string phrase)
        => Assert.Equal(phrase, TrutoError.ReasonPhrase(status));

    [Theory]
    [InlineData(499)]
    [InlineData(599)]
    [InlineData(999)]
    public void ReasonPhrase_of_an_unknown_status_is_error(int status)
        => Assert.Equal("Error", TrutoError.ReasonPhrase(status));

    [Fact]
    public void Error_follows_the_status()
        => Assert.Equal("Conflict", (new TrutoError(404, "m") with { StatusCode = 409 }).Error);

    [Fact]
    public void Errors_with_the_same_parts_are_equal()
        => Assert.Equal(new TrutoError(404, "m"), new TrutoError(404, "m"));

    [Fact]
    public void The_exception_carries_the_envelope_and_its_message()
    {
        var error = new TrutoError(404, "No contact 51.");

        var exception = new TrutoApiException(error);

        Assert.Same(error, exception.Error);
        Assert.Equal("No contact 51.", exception.Message);
    }

    [Fact]
    public void The_exception_without_an_envelope_is_a_500()
    {
        Assert.Equal(500, new TrutoApiException().Error.StatusCode);
        Assert.Equal("boom", new TrutoApiException("boom").Error.Message);
        var inner = new InvalidOperationException();
        var withCause = new TrutoApiException("boom", inner);
        Assert.Same(inner, withCause.InnerException);
        Assert.Equal(500, withCause.Error.StatusCode);
    }

    [Fact]
    public void The_exception_requires_an_envelope()
        => Assert.Throws<ArgumentNullException>(() => new TrutoApiException((TrutoError)null!));

    [Fact]
    public void Raw_response_is_written_exactly_as_the_provider_sent_it()
    {
        var raw = JsonElements.Parse("""{"nested": {"list": [1, "two", null, true]}}""");

        var parsed = JsonElements.Parse(Json(new TrutoError(404, "m") { IsRemoteError = true, RawResponse = raw }));

        Assert.True(JsonElement.DeepEquals(raw, parsed.GetProperty("raw_response")));
    }
}
