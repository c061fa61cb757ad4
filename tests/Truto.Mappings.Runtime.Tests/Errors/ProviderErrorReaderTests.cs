using System.Text;
using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Runtime.Tests.Errors;

/// <summary>A readable message, and the raw_response, from whatever a provider sent with its error.</summary>
public sealed class ProviderErrorReaderTests
{
    private static ReadOnlyMemory<byte> Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Theory]
    [InlineData("""{"message": "Contact not found"}""")]
    [InlineData("""{"error_description": "Contact not found"}""")]
    [InlineData("""{"error": "Contact not found"}""")]
    [InlineData("""{"error": {"message": "Contact not found", "code": 404}}""")]
    [InlineData("""{"errors": [{"message": "Contact not found"}, {"message": "second"}]}""")]
    [InlineData("""{"errors": [{"detail": "Contact not found"}]}""")]
    [InlineData("""{"errors": [{"title": "Contact not found"}]}""")]
    [InlineData("""{"detail": "Contact not found"}""")]
    [InlineData("""[{"message": "Contact not found"}]""")]
    public void CommonMessage_finds_the_fields_most_apis_use(string json)
        => Assert.Equal("Contact not found", ProviderErrorReader.CommonMessage(JsonElements.Parse(json)));

    [Fact]
    public void CommonMessage_prefers_message_over_the_other_fields()
        => Assert.Equal("m", ProviderErrorReader.CommonMessage(JsonElements.Parse("""{"detail": "d", "error": "e", "message": "m"}""")));

    [Fact]
    public void CommonMessage_prefers_error_description_over_error()
        => Assert.Equal("invalid_grant explained", ProviderErrorReader.CommonMessage(
            JsonElements.Parse("""{"error": "invalid_grant", "error_description": "invalid_grant explained"}""")));

    [Fact]
    public void CommonMessage_gives_a_numeric_message_as_its_text()
        => Assert.Equal("404", ProviderErrorReader.CommonMessage(JsonElements.Parse("""{"message": 404}""")));

    [Theory]
    [InlineData("""{"message": "", "error": "Not found"}""")]
    [InlineData("""{"message": "   ", "errors": [{"message": "Not found"}]}""")]
    [InlineData("""{"message": null, "detail": "Not found"}""")]
    [InlineData("""{"message": {"text": "x"}, "error": "Not found"}""")]
    public void CommonMessage_passes_over_blank_null_and_structured_fields(string json)
        => Assert.Equal("Not found", ProviderErrorReader.CommonMessage(JsonElements.Parse(json)));

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"status": 404}""")]
    [InlineData("""{"errors": []}""")]
    [InlineData("""{"errors": "text"}""")]
    [InlineData("""{"message": ""}""")]
    [InlineData("[]")]
    [InlineData("\"plain\"")]
    [InlineData("null")]
    [InlineData("42")]
    public void CommonMessage_without_any_known_field_is_null(string json)
        => Assert.Null(ProviderErrorReader.CommonMessage(JsonElements.Parse(json)));

    [Fact]
    public void TextMessage_of_an_html_page_is_its_title()
        => Assert.Equal("502 Bad Gateway", ProviderErrorReader.TextMessage(Bytes("<html><head><title>502 Bad Gateway</title></head><body><h1>x</h1></body></html>")));

    [Fact]
    public void TextMessage_decodes_entities_and_trims_the_title_whatever_its_case_and_attributes()
        => Assert.Equal("Service & Co — down", ProviderErrorReader.TextMessage(Bytes("<HTML><TITLE lang=\"en\">\n  Service &amp; Co &mdash; down\n</TITLE></HTML>")));

    [Theory]
    [InlineData("<html><title></title><body>x</body></html>")]
    [InlineData("<html><title>  </title></html>")]
    [InlineData("<html><body>no title</body></html>")]
    [InlineData("<?xml version=\"1.0\"?><error/>")]
    public void TextMessage_of_markup_without_a_title_is_null(string html)
        => Assert.Null(ProviderErrorReader.TextMessage(Bytes(html)));

    [Fact]
    public void TextMessage_of_plain_text_is_the_text_trimmed()
        => Assert.Equal("Upstream timed out", ProviderErrorReader.TextMessage(Bytes("  Upstream timed out\n")));

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n ")]
    public void TextMessage_of_an_empty_or_blank_body_is_null(string text)
        => Assert.Null(ProviderErrorReader.TextMessage(Bytes(text)));

    [Fact]
    public void TextMessage_of_a_long_text_is_its_start_with_an_ellipsis()
    {
        var message = ProviderErrorReader.TextMessage(Bytes(new string('x', 1000)));

        Assert.Equal(new string('x', 300) + "…", message);
    }

    [Fact]
    public void TextMessage_of_exactly_the_maximum_length_is_not_cut()
        => Assert.Equal(new string('x', 300), ProviderErrorReader.TextMessage(Bytes(new string('x', 300))));

    [Fact]
    public void TextMessage_never_cuts_a_character_in_half()
    {
        var message = ProviderErrorReader.TextMessage(Bytes(new string('x', 299) + "😀 and more"));

        Assert.Equal(new string('x', 299) + "…", message);
        var written = JsonElements.Write(w => new TrutoError(502, message!).WriteTo(w));
        Assert.Contains("…", JsonElements.Parse(written).GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TextMessage_replaces_invalid_utf8()
        => Assert.Equal("bad \uFFFD byte", ProviderErrorReader.TextMessage(new byte[] { 0x62, 0x61, 0x64, 0x20, 0xFF, 0x20, 0x62, 0x79, 0x74, 0x65 }));

    [Fact]
    public void TryParse_parses_json()
        => Assert.Equal(1, ProviderErrorReader.TryParse(Bytes("""{"a": 1}"""))?.GetProperty("a").GetInt32());

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"a\": ")]
    [InlineData("<html/>")]
    public void TryParse_of_anything_but_json_is_null(string text)
        => Assert.Null(ProviderErrorReader.TryParse(Bytes(text)));

    [Fact]
    public void TryParse_detaches_the_result_from_its_document()
    {
        var parsed = ProviderErrorReader.TryParse(Bytes("""{"a": [1, 2]}"""));

        Assert.Equal("""{"a": [1, 2]}""", parsed?.GetRawText());
    }

    [Fact]
    public void ToRawResponse_of_json_is_the_parsed_json()
    {
        var raw = ProviderErrorReader.ToRawResponse(Bytes("""{"errors": [{"code": 404}]}"""));

        Assert.Equal(JsonValueKind.Object, raw?.ValueKind);
        Assert.Equal(404, raw?.GetProperty("errors")[0].GetProperty("code").GetInt32());
    }

    [Fact]
    public void ToRawResponse_of_text_is_a_json_string_holding_it()
    {
        var raw = ProviderErrorReader.ToRawResponse(Bytes("<html>\"quoted\"</html>"));

        Assert.Equal(JsonValueKind.String, raw?.ValueKind);
        Assert.Equal("<html>\"quoted\"</html>", raw?.GetString());
    }

    [Fact]
    public void ToRawResponse_of_a_json_scalar_is_that_scalar()
        => Assert.Equal(JsonValueKind.Number, ProviderErrorReader.ToRawResponse(Bytes("404"))?.ValueKind);

    [Fact]
    public void ToRawResponse_of_an_empty_body_is_null()
        => Assert.Null(ProviderErrorReader.ToRawResponse(ReadOnlyMemory<byte>.Empty));
}
