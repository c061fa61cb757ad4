using System.Text;
using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Runtime.Tests.Errors;

/// <summary>Cutting raw responses: by bytes, never inside a character, whole when they fit.</summary>
public sealed class RawResponsesTests
{
    [Theory]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("aé", 2, "a")]
    [InlineData("a€b", 3, "a")]
    [InlineData("a😀", 4, "a")]
    [InlineData("a😀", 5, "a😀")]
    [InlineData("short", 100, "short")]
    public void A_prefix_never_cuts_a_character_in_two(string text, int maxBytes, string prefix)
        => Assert.Equal(prefix, RawResponses.Prefix(Encoding.UTF8.GetBytes(text), maxBytes));

    [Fact]
    public void A_body_within_the_limit_is_parsed_JSON_and_not_truncated()
    {
        var (raw, truncated) = RawResponses.FromBody(Encoding.UTF8.GetBytes("""{"a": 1}"""), 100);

        Assert.Equal(JsonValueKind.Object, raw!.Value.ValueKind);
        Assert.False(truncated);
    }

    [Fact]
    public void A_body_past_the_limit_is_its_text_prefix()
    {
        var (raw, truncated) = RawResponses.FromBody(Encoding.UTF8.GetBytes("""{"a": "0123456789"}"""), 8);

        Assert.Equal("""{"a": "0""", raw!.Value.GetString());
        Assert.True(truncated);
    }

    [Fact]
    public void An_error_that_refers_to_a_chunk_writes_the_chunk_instead_of_its_raw_response()
    {
        var error = new TrutoError(500, "boom") { IsRemoteError = true, RawResponse = JsonSerializer.SerializeToElement(new { trace = "abc" }) };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        var budget = long.MaxValue;
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            error.WriteMembers(json, ref budget, chunk: 3);
            json.WriteEndObject();
        }

        Assert.Equal("""{"statusCode":500,"error":"Internal Server Error","message":"boom","truto_is_remote_error":true,"chunk":3}""", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
