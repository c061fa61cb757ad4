using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Json;

/// <summary>The named transforms of the mapping format, called directly by generated code.</summary>
public sealed class MappingTransformsTests
{
    private static MappedValue Node(string json) => MappedValue.From(JsonElements.Parse(json));

    [Theory]
    [InlineData("\"x\"", "x")]
    [InlineData("12.50", "12.50")]
    [InlineData("true", "true")]
    [InlineData("""{"a": [1, 2]}""", """{"a": [1, 2]}""")]
    [InlineData("[1,2]", "[1,2]")]
    public void ToText_gives_scalars_as_text_and_objects_and_arrays_as_their_json(string json, string text)
        => Assert.Equal(text, MappingTransforms.ToText(Node(json)).Text);

    [Fact]
    public void ToText_keeps_null_null()
    {
        Assert.True(MappingTransforms.ToText(MappedValue.Null).IsNull);
        Assert.True(MappingTransforms.ToText(Node("null")).IsNull);
    }

    [Theory]
    [InlineData("0", "1970-01-01T00:00:00Z")]
    [InlineData("1700000000", "2023-11-14T22:13:20Z")]
    [InlineData("\"1700000000\"", "2023-11-14T22:13:20Z")]
    [InlineData("\" 1700000000 \"", "2023-11-14T22:13:20Z")]
    [InlineData("1700000000.5", "2023-11-14T22:13:20.500Z")]
    [InlineData("1700000000.1234", "2023-11-14T22:13:20.123Z")]
    [InlineData("1.7e9", "2023-11-14T22:13:20Z")]
    [InlineData("-1", "1969-12-31T23:59:59Z")]
    [InlineData("-0.5", "1969-12-31T23:59:59.500Z")]
    [InlineData("-62135596800", "0001-01-01T00:00:00Z")]
    [InlineData("253402300799", "9999-12-31T23:59:59Z")]
    [InlineData("253402300799.999", "9999-12-31T23:59:59.999Z")]
    [InlineData("253402300799.9999", "9999-12-31T23:59:59.999Z")]
    public void EpochSeconds_turns_unix_seconds_into_iso_8601_utc(string json, string iso)
        => Assert.Equal(iso, MappingTransforms.EpochSeconds(Node(json)).Text);

    [Theory]
    [InlineData("0", "1970-01-01T00:00:00Z")]
    [InlineData("1700000000123", "2023-11-14T22:13:20.123Z")]
    [InlineData("\"1700000000123\"", "2023-11-14T22:13:20.123Z")]
    [InlineData("1700000000123.9", "2023-11-14T22:13:20.123Z")]
    [InlineData("-1", "1969-12-31T23:59:59.999Z")]
    [InlineData("-0.5", "1969-12-31T23:59:59.999Z")]
    [InlineData("-62135596800000", "0001-01-01T00:00:00Z")]
    [InlineData("253402300799999", "9999-12-31T23:59:59.999Z")]
    public void EpochMilliseconds_turns_unix_milliseconds_into_iso_8601_utc(string json, string iso)
        => Assert.Equal(iso, MappingTransforms.EpochMilliseconds(Node(json)).Text);

    [Theory]
    [InlineData("253402300800")]
    [InlineData("-62135596801")]
    [InlineData("1e20")]
    [InlineData("-1e20")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("-79228162514264337593543950335")]
    [InlineData("1e400")]
    [InlineData("\"99999999999999999999999999999999999\"")]
    public void EpochSeconds_beyond_the_calendar_is_null(string json)
        => Assert.True(MappingTransforms.EpochSeconds(Node(json)).IsNull);

    [Theory]
    [InlineData("253402300800000")]
    [InlineData("-62135596800001")]
    [InlineData("-62135596800000.5")]
    [InlineData("79228162514264337593543950335")]
    [InlineData("1e400")]
    public void EpochMilliseconds_beyond_the_calendar_is_null(string json)
        => Assert.True(MappingTransforms.EpochMilliseconds(Node(json)).IsNull);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"soon\"")]
    [InlineData("\"2023-11-14\"")]
    [InlineData("\"0x10\"")]
    [InlineData("\"1,000\"")]
    [InlineData("\"NaN\"")]
    [InlineData("\"Infinity\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[0]")]
    [InlineData("null")]
    public void Epoch_of_anything_but_a_number_or_numeric_text_is_null(string json)
    {
        Assert.True(MappingTransforms.EpochSeconds(Node(json)).IsNull);
        Assert.True(MappingTransforms.EpochMilliseconds(Node(json)).IsNull);
    }

    [Fact]
    public void Epoch_reads_made_text_as_well_as_nodes()
        => Assert.Equal("1970-01-01T00:01:00Z", MappingTransforms.EpochSeconds(MappedValue.From("60")).Text);

    [Fact]
    public void Epoch_of_a_missing_value_is_null()
        => Assert.True(MappingTransforms.EpochSeconds(MappedValue.Null).IsNull);

    [Theory]
    [InlineData(", ", "a, b, c")]
    [InlineData("", "abc")]
    [InlineData(" | ", "a | b | c")]
    public void Join_joins_the_scalars_of_an_array_with_the_separator(string separator, string joined)
        => Assert.Equal(joined, MappingTransforms.Join(Node("""["a", "b", "c"]"""), separator).Text);

    [Fact]
    public void Join_gives_numbers_and_booleans_by_their_json_text()
        => Assert.Equal("1;2.50;true", MappingTransforms.Join(Node("[1, 2.50, true]"), ";").Text);

    [Fact]
    public void Join_skips_nulls_empty_strings_objects_and_arrays()
        => Assert.Equal("a,b", MappingTransforms.Join(Node("""[null, "a", "", {"x": 1}, [2], "b"]"""), ",").Text);

    [Fact]
    public void Join_of_an_empty_array_is_empty_text()
    {
        var joined = MappingTransforms.Join(Node("[]"), ",");

        Assert.False(joined.IsNull);
        Assert.Equal("", joined.Text);
    }

    [Theory]
    [InlineData("\"a\"")]
    [InlineData("5")]
    [InlineData("""{"a": 1}""")]
    public void Join_leaves_anything_but_an_array_as_it_is(string json)
    {
        var value = Node(json);

        var joined = MappingTransforms.Join(value, ",");

        Assert.Equal(value.Element?.GetRawText(), joined.Element?.GetRawText());
        Assert.Null(joined.Text);
    }

    [Fact]
    public void Join_leaves_made_text_and_null_as_they_are()
    {
        Assert.Equal("a,b", MappingTransforms.Join(MappedValue.From("a,b"), ";").Text);
        Assert.True(MappingTransforms.Join(MappedValue.Null, ",").IsNull);
    }

    [Theory]
    [InlineData("\"  Ada \"", "Ada")]
    [InlineData("\"\\tAda\\n\"", "Ada")]
    [InlineData("\"Ada  Lovelace\"", "Ada  Lovelace")]
    [InlineData("12", "12")]
    [InlineData("true", "true")]
    public void Trim_removes_surrounding_white_space(string json, string trimmed)
        => Assert.Equal(trimmed, MappingTransforms.Trim(Node(json)).Text);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"   \"")]
    [InlineData("\"\\n\\t\"")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"a\"]")]
    public void Trim_of_blank_text_objects_arrays_and_null_is_null(string json)
        => Assert.True(MappingTransforms.Trim(Node(json)).IsNull);

    [Theory]
    [InlineData("\"ADA@Example.COM\"", "ada@example.com")]
    [InlineData("\"ÄÖÜ\"", "äöü")]
    [InlineData("true", "true")]
    [InlineData("1E5", "1e5")]
    public void Lowercase_is_invariant_and_applies_to_scalars_text(string json, string lowered)
        => Assert.Equal(lowered, MappingTransforms.Lowercase(Node(json)).Text);

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"A\"]")]
    public void Lowercase_of_objects_arrays_and_null_is_null(string json)
        => Assert.True(MappingTransforms.Lowercase(Node(json)).IsNull);

    [Fact]
    public void Lowercase_of_made_text_lowers_it()
        => Assert.Equal("abc", MappingTransforms.Lowercase(MappedValue.From("ABC")).Text);
}
