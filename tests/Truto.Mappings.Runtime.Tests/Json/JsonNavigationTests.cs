using System.Text.Json;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Json;

/// <summary>The navigation steps generated code chains: each one is total (null in, null out).</summary>
public sealed class JsonNavigationTests
{
    private static readonly JsonElement Contact = JsonElements.Parse(
        """{"id": 7, "name": "Ada", "tags": ["a", "b", "c"], "owner": {"id": "u1"}, "nothing": null, "empty": ""}""");

    [Fact]
    public void Property_reads_a_member_of_an_object()
        => Assert.Equal("Ada", JsonNavigation.Property(Contact, "name"u8)?.GetString());

    [Fact]
    public void Property_of_a_missing_member_is_null()
        => Assert.Null(JsonNavigation.Property(Contact, "missing"u8));

    [Fact]
    public void Property_of_a_json_null_member_is_the_null_node_not_nothing()
        => Assert.Equal(JsonValueKind.Null, JsonNavigation.Property(Contact, "nothing"u8)?.ValueKind);

    [Fact]
    public void Property_of_null_is_null()
        => Assert.Null(JsonNavigation.Property(null, "id"u8));

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("\"text\"")]
    [InlineData("42")]
    [InlineData("true")]
    [InlineData("null")]
    public void Property_of_anything_but_an_object_is_null(string json)
        => Assert.Null(JsonNavigation.Property(JsonElements.Parse(json), "id"u8));

    [Fact]
    public void Property_names_are_case_sensitive()
        => Assert.Null(JsonNavigation.Property(Contact, "Name"u8));

    [Fact]
    public void Property_matches_escaped_member_names_by_their_value()
        => Assert.Equal(1, JsonNavigation.Property(JsonElements.Parse("""{"n\u00e4me": 1}"""), "näme"u8)?.GetInt32());

    [Fact]
    public void Chained_properties_reach_nested_members()
        => Assert.Equal("u1", JsonNavigation.Property(JsonNavigation.Property(Contact, "owner"u8), "id"u8)?.GetString());

    [Theory]
    [InlineData(0, "a")]
    [InlineData(2, "c")]
    [InlineData(-1, "c")]
    [InlineData(-3, "a")]
    public void Index_counts_from_the_start_or_with_a_negative_index_from_the_end(int index, string expected)
        => Assert.Equal(expected, JsonNavigation.Index(JsonNavigation.Property(Contact, "tags"u8), index)?.GetString());

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void Index_out_of_range_is_null(int index)
        => Assert.Null(JsonNavigation.Index(JsonNavigation.Property(Contact, "tags"u8), index));

    [Fact]
    public void Index_into_an_empty_array_is_null()
    {
        Assert.Null(JsonNavigation.Index(JsonElements.Parse("[]"), 0));
        Assert.Null(JsonNavigation.Index(JsonElements.Parse("[]"), -1));
    }

    [Theory]
    [InlineData("""{"0": "zero"}""")]
    [InlineData("\"abc\"")]
    [InlineData("null")]
    public void Index_into_anything_but_an_array_is_null(string json)
        => Assert.Null(JsonNavigation.Index(JsonElements.Parse(json), 0));

    [Fact]
    public void Index_of_null_is_null()
        => Assert.Null(JsonNavigation.Index(null, 0));

    [Fact]
    public void Children_of_an_array_are_its_elements_in_order()
        => Assert.Equal(["a", "b", "c"], JsonNavigation.Children(JsonNavigation.Property(Contact, "tags"u8)).Select(e => e.GetString()));

    [Fact]
    public void Children_of_an_object_are_its_member_values_in_order()
        => Assert.Equal(["1", "x"], JsonNavigation.Children(JsonElements.Parse("""{"b": 1, "a": "x"}""")).Select(e => JsonNavigation.AsText(e)));

    [Theory]
    [InlineData("\"text\"")]
    [InlineData("3")]
    [InlineData("false")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Children_of_scalars_and_empty_containers_are_none(string json)
        => Assert.Empty(JsonNavigation.Children(JsonElements.Parse(json)));

    [Fact]
    public void Children_of_null_are_none()
        => Assert.Empty(JsonNavigation.Children(null));

    [Theory]
    [InlineData("0", true)]
    [InlineData("false", true)]
    [InlineData("\"\"", true)]
    [InlineData("[]", true)]
    [InlineData("{}", true)]
    [InlineData("null", false)]
    public void Exists_is_false_only_for_json_null(string json, bool exists)
        => Assert.Equal(exists, JsonNavigation.Exists(JsonElements.Parse(json)));

    [Fact]
    public void Exists_is_false_for_a_missing_node()
        => Assert.False(JsonNavigation.Exists(null));

    [Fact]
    public void Exists_is_false_for_a_default_element()
        => Assert.False(JsonNavigation.Exists(default(JsonElement)));

    [Theory]
    [InlineData("\"x\"", true)]
    [InlineData("\" \"", true)]
    [InlineData("0", true)]
    [InlineData("false", true)]
    [InlineData("[null]", true)]
    [InlineData("""{"a": null}""", true)]
    [InlineData("\"\"", false)]
    [InlineData("[]", false)]
    [InlineData("{}", false)]
    [InlineData("null", false)]
    public void IsPresent_is_false_for_null_and_empty_strings_arrays_and_objects(string json, bool present)
        => Assert.Equal(present, JsonNavigation.IsPresent(JsonElements.Parse(json)));

    [Fact]
    public void IsPresent_is_false_for_a_missing_node()
        => Assert.False(JsonNavigation.IsPresent(null));

    [Theory]
    [InlineData("\"work\"", JsonValueKind.String, "work", true)]
    [InlineData("\"work\"", JsonValueKind.String, "Work", false)]
    [InlineData("\"1\"", JsonValueKind.Number, "1", false)]
    [InlineData("1", JsonValueKind.String, "1", false)]
    [InlineData("1", JsonValueKind.Number, "1", true)]
    [InlineData("1", JsonValueKind.Number, "1.0", true)]
    [InlineData("1e2", JsonValueKind.Number, "100", true)]
    [InlineData("-0", JsonValueKind.Number, "0", true)]
    [InlineData("1.5", JsonValueKind.Number, "1.50", true)]
    [InlineData("1.5", JsonValueKind.Number, "2", false)]
    [InlineData("true", JsonValueKind.True, "true", true)]
    [InlineData("true", JsonValueKind.False, "false", false)]
    [InlineData("false", JsonValueKind.False, "false", true)]
    [InlineData("null", JsonValueKind.Null, "null", true)]
    [InlineData("null", JsonValueKind.String, "null", false)]
    [InlineData("{}", JsonValueKind.Object, "{}", false)]
    [InlineData("[]", JsonValueKind.Array, "[]", false)]
    public void EqualsLiteral_compares_by_kind_then_value(string json, JsonValueKind kind, string text, bool equal)
        => Assert.Equal(equal, JsonNavigation.EqualsLiteral(JsonElements.Parse(json), kind, text));

    [Fact]
    public void EqualsLiteral_of_a_missing_node_is_false_even_against_null()
        => Assert.False(JsonNavigation.EqualsLiteral(null, JsonValueKind.Null, "null"));

    [Fact]
    public void EqualsLiteral_matches_numbers_beyond_decimal_range_by_their_exact_text()
    {
        Assert.True(JsonNavigation.EqualsLiteral(JsonElements.Parse("1e400"), JsonValueKind.Number, "1e400"));
        Assert.False(JsonNavigation.EqualsLiteral(JsonElements.Parse("1e400"), JsonValueKind.Number, "2e400"));
    }

    [Fact]
    public void EqualsLiteral_compares_strings_after_unescaping()
        => Assert.True(JsonNavigation.EqualsLiteral(JsonElements.Parse("\"\\u0041b\""), JsonValueKind.String, "Ab"));

    [Theory]
    [InlineData("\"a\"", "\"a\"", true)]
    [InlineData("\"a\"", "\"\\u0061\"", true)]
    [InlineData("\"a\"", "\"A\"", false)]
    [InlineData("1", "1.0", true)]
    [InlineData("10", "1e1", true)]
    [InlineData("0.1", "1E-1", true)]
    [InlineData("1", "2", false)]
    [InlineData("\"1\"", "1", false)]
    [InlineData("1", "\"1\"", false)]
    [InlineData("\"true\"", "true", false)]
    [InlineData("true", "true", true)]
    [InlineData("true", "false", false)]
    [InlineData("null", "null", true)]
    [InlineData("null", "\"\"", false)]
    [InlineData("[1, 2]", "[1, 2]", true)]
    [InlineData("[1, 2]", "[2, 1]", false)]
    [InlineData("""{"a": 1}""", """{"a": 1}""", true)]
    [InlineData("""{"a": 1}""", """{"a": 2}""", false)]
    public void ValuesEqual_compares_scalars_by_value_and_never_across_kinds(string left, string right, bool equal)
    {
        Assert.Equal(equal, JsonNavigation.ValuesEqual(JsonElements.Parse(left), JsonElements.Parse(right)));
        Assert.Equal(equal, JsonNavigation.ValuesEqual(JsonElements.Parse(right), JsonElements.Parse(left)));
    }

    [Theory]
    [InlineData("""{"a":1,"b":[1,2]}""", """{ "a" : 1 , "b" : [ 1 , 2 ] }""")]
    [InlineData("""{"a": 1, "b": 2}""", """{"b": 2, "a": 1}""")]
    [InlineData("""{"a": 1}""", """{"a": 1.0}""")]
    [InlineData("[\"x\"]", "[\"\\u0078\"]")]
    public void ValuesEqual_compares_objects_and_arrays_by_value_not_by_layout(string left, string right)
        => Assert.True(JsonNavigation.ValuesEqual(JsonElements.Parse(left), JsonElements.Parse(right)));

    [Fact]
    public void ValuesEqual_of_two_missing_nodes_is_true_and_of_one_is_false()
    {
        Assert.True(JsonNavigation.ValuesEqual(null, null));
        Assert.False(JsonNavigation.ValuesEqual(null, JsonElements.Parse("null")));
        Assert.False(JsonNavigation.ValuesEqual(JsonElements.Parse("null"), null));
    }

    [Theory]
    [InlineData("\"Ada\"", "Ada")]
    [InlineData("\"\"", "")]
    [InlineData("\"\\u00e9\\n\"", "é\n")]
    [InlineData("42", "42")]
    [InlineData("-0.50", "-0.50")]
    [InlineData("1e3", "1e3")]
    [InlineData("12345678901234567890123456789012345", "12345678901234567890123456789012345")]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    public void AsText_gives_strings_as_they_are_and_numbers_and_booleans_by_their_json_text(string json, string text)
        => Assert.Equal(text, JsonNavigation.AsText(JsonElements.Parse(json)));

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{"a": "b"}""")]
    [InlineData("[\"a\"]")]
    public void AsText_of_null_objects_and_arrays_is_null(string json)
        => Assert.Null(JsonNavigation.AsText(JsonElements.Parse(json)));

    [Fact]
    public void AsText_of_a_missing_node_is_null()
        => Assert.Null(JsonNavigation.AsText(null));

    [Fact]
    public void Children_walk_with_their_own_enumerator_and_start_again_on_reset()
    {
        var names = new List<string?>();
        foreach (var child in JsonNavigation.Children(JsonElements.Parse("""{"a": "x", "b": "y"}""")))
        {
            names.Add(child.GetString());
        }
        var elements = JsonNavigation.Children(JsonElements.Parse("[1, 2]")).GetEnumerator();
        elements.MoveNext();
        elements.MoveNext();
        elements.Reset();

        Assert.Equal(["x", "y"], names);
        Assert.True(elements.MoveNext());
        Assert.Equal(1, elements.Current.GetInt32());
    }
}
