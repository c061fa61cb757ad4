using System.Text.Json;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Formats;

/// <summary>Unified fields written straight to JSON, with exclusions and the normalized "no nulls" rule.</summary>
public sealed class ContactWriterTests
{
    private static readonly FieldSelection Normalized = new([], omitNulls: true);

    private static string WriteObject(FieldSelection selection, Action<ContactWriter> write)
        => JsonElements.Write(json =>
        {
            json.WriteStartObject();
            write(new ContactWriter(json, selection));
            json.WriteEndObject();
        });

    private static MappedValue Node(string json) => MappedValue.From(JsonElements.Parse(json));

    [Fact]
    public void Json_is_the_underlying_writer()
    {
        using var stream = new MemoryStream();
        using var json = new Utf8JsonWriter(stream);

        Assert.Same(json, new ContactWriter(json, FieldSelection.All).Json);
    }

    [Fact]
    public void Strings_are_written_with_their_text()
        => Assert.Equal("""{"first_name":"Ada","age":"36"}""", WriteObject(FieldSelection.All, w =>
        {
            w.WriteString("first_name", Node("\"Ada\""));
            w.WriteString("age", Node("36"));
        }));

    [Theory]
    [InlineData("\"plain\"")]
    [InlineData("\"café\"")]
    [InlineData("\"caf\\u00e9\"")]
    [InlineData("\"<tag> & 'q' +\"")]
    [InlineData("\"quote \\\" and tab \\t\"")]
    [InlineData("\"\"")]
    public void Strings_read_from_the_document_are_written_as_their_text_would_be(string json)
    {
        var text = JsonElements.Parse(json).GetString();

        var fromDocument = WriteObject(FieldSelection.All, w => w.WriteString("s", Node(json)));

        Assert.Equal(WriteObject(FieldSelection.All, w => w.WriteString("s", MappedValue.From(text))), fromDocument);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("[\"a\"]")]
    public void Strings_without_text_are_null_in_the_unified_format(string json)
        => Assert.Equal("""{"name":null}""", WriteObject(FieldSelection.All, w => w.WriteString("name", Node(json))));

    [Fact]
    public void Strings_without_text_are_left_out_in_the_normalized_format()
        => Assert.Equal("{}", WriteObject(Normalized, w =>
        {
            w.WriteString("a", MappedValue.Null);
            w.WriteString("b", Node("{}"));
        }));

    [Fact]
    public void An_empty_string_is_a_value_even_in_the_normalized_format()
        => Assert.Equal("""{"a":""}""", WriteObject(Normalized, w => w.WriteString("a", MappedValue.From(""))));

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("\"true\"", "true")]
    [InlineData("\"False\"", "false")]
    [InlineData("\"yes\"", "null")]
    [InlineData("1", "null")]
    [InlineData("null", "null")]
    public void Booleans_are_json_booleans_or_their_text(string json, string written)
        => Assert.Equal($$"""{"active":{{written}}}""", WriteObject(FieldSelection.All, w => w.WriteBoolean("active", Node(json))));

    [Fact]
    public void Booleans_that_are_not_booleans_are_left_out_in_the_normalized_format()
        => Assert.Equal("{}", WriteObject(Normalized, w => w.WriteBoolean("active", Node("\"yes\""))));

    [Theory]
    [InlineData("12", "12")]
    [InlineData("-0.50", "-0.50")]
    [InlineData("1e3", "1e3")]
    [InlineData("\"42\"", "42")]
    [InlineData("\"3.14\"", "3.14")]
    public void Numbers_are_written_as_numbers(string json, string written)
        => Assert.Equal($$"""{"score":{{written}}}""", WriteObject(FieldSelection.All, w => w.WriteNumber("score", Node(json))));

    [Theory]
    [InlineData("\"+5\"", "5")]
    [InlineData("\" 7 \"", "7")]
    [InlineData("\"007\"", "7")]
    [InlineData("\".5\"", "0.5")]
    [InlineData("\"5.\"", "5")]
    [InlineData("\"1E3\"", "1000")]
    public void Numeric_text_that_is_not_json_number_syntax_is_written_as_a_valid_json_number(string json, string written)
        => Assert.Equal($$"""{"score":{{written}}}""", WriteObject(FieldSelection.All, w => w.WriteNumber("score", Node(json))));

    [Theory]
    [InlineData("\"many\"")]
    [InlineData("\"\"")]
    [InlineData("\"1,000\"")]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("null")]
    public void Numbers_that_are_not_numbers_are_null(string json)
        => Assert.Equal("""{"score":null}""", WriteObject(FieldSelection.All, w => w.WriteNumber("score", Node(json))));

    [Fact]
    public void Numbers_that_are_not_numbers_are_left_out_in_the_normalized_format()
        => Assert.Equal("{}", WriteObject(Normalized, w => w.WriteNumber("score", Node("\"many\""))));

    [Fact]
    public void Records_are_copied_as_they_are()
        => Assert.Equal("""{"custom":{"a":[1,{"b":null}]}}""", WriteObject(FieldSelection.All, w => w.WriteRecord("custom", Node("""{"a": [1, {"b": null}]}"""))));

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void Records_that_are_not_objects_are_null(string json)
        => Assert.Equal("""{"custom":null}""", WriteObject(FieldSelection.All, w => w.WriteRecord("custom", Node(json))));

    [Fact]
    public void Records_that_are_not_objects_are_left_out_in_the_normalized_format()
        => Assert.Equal("{}", WriteObject(Normalized, w => w.WriteRecord("custom", Node("[1]"))));

    [Fact]
    public void Excluded_fields_of_every_kind_are_left_out()
        => Assert.Equal("""{"kept":"k"}""", WriteObject(new FieldSelection(["s", "b", "n", "r", "j"], omitNulls: false), w =>
        {
            w.WriteString("s", Node("\"x\""));
            w.WriteBoolean("b", Node("true"));
            w.WriteNumber("n", Node("1"));
            w.WriteRecord("r", Node("{}"));
            w.WriteJson("j", JsonElements.Parse("{}"));
            w.WriteString("kept", MappedValue.From("k"));
        }));

    [Fact]
    public void Includes_answers_for_the_current_object()
    {
        var selection = new FieldSelection(["owner.id"], omitNulls: false);
        bool? topLevel = null, nested = null, sibling = null;

        WriteObject(selection, w =>
        {
            topLevel = w.Includes("id");
            w.BeginObject("owner");
            nested = w.Includes("id");
            sibling = w.Includes("name");
            w.EndObject();
        });

        Assert.True(topLevel);
        Assert.False(nested);
        Assert.True(sibling);
    }

    [Fact]
    public void Remote_data_is_written_whole_without_exclusions()
        => Assert.Equal("""{"remote_data":{"id":1,"errors":[],"x":{"y":null}}}""",
            WriteObject(FieldSelection.All, w => w.WriteJson("remote_data", JsonElements.Parse("""{"id": 1, "errors": [], "x": {"y": null}}"""))));

    [Fact]
    public void Remote_data_keeps_its_nulls_in_the_normalized_format()
        => Assert.Equal("""{"remote_data":{"a":null}}""", WriteObject(Normalized, w => w.WriteJson("remote_data", JsonElements.Parse("""{"a": null}"""))));

    [Fact]
    public void Dotted_exclusions_reach_inside_remote_data()
        => Assert.Equal("""{"remote_data":{"id":1}}""",
            WriteObject(new FieldSelection(["remote_data.errors"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"id": 1, "errors": ["e"]}"""))));

    [Fact]
    public void Deep_dotted_exclusions_reach_nested_objects_of_remote_data()
        => Assert.Equal("""{"remote_data":{"a":{"b":{"keep":1}}}}""",
            WriteObject(new FieldSelection(["remote_data.a.b.secret"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"a": {"b": {"secret": "s", "keep": 1}}}"""))));

    [Fact]
    public void Exclusions_inside_remote_data_apply_to_every_item_of_an_array()
        => Assert.Equal("""{"remote_data":{"items":[{"id":1},{"id":2},3]}}""",
            WriteObject(new FieldSelection(["remote_data.items.token"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"items": [{"id": 1, "token": "t"}, {"id": 2}, 3]}"""))));

    [Fact]
    public void Excluding_every_member_of_remote_data_leaves_an_empty_object()
        => Assert.Equal("""{"remote_data":{}}""",
            WriteObject(new FieldSelection(["remote_data.a"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"a": 1}"""))));

    [Fact]
    public void An_exclusion_deep_inside_arrays_and_objects_of_remote_data_is_applied()
        => Assert.Equal("""{"remote_data":{"a":{"items":[[{"keep":1}],{"keep":2}]},"b":{"secret":"kept"}}}""",
            WriteObject(new FieldSelection(["remote_data.a.items.secret"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"a": {"items": [[{"secret": "s", "keep": 1}], {"keep": 2, "secret": "t"}]}, "b": {"secret": "kept"}}"""))));

    [Fact]
    public void A_member_no_exclusion_reaches_is_copied_with_all_it_holds()
        => Assert.Equal("""{"remote_data":{"x":{"y":{"secret":1}},"xy":{"secret":2},"z":{"secret":3}}}""",
            WriteObject(new FieldSelection(["remote_data.x.secret", "remote_data.secret", "x.y.secret"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"x": {"y": {"secret": 1}}, "xy": {"secret": 2}, "z": {"secret": 3}}"""))));

    [Fact]
    public void Several_exclusions_under_one_member_are_all_applied()
        => Assert.Equal("""{"remote_data":{"a":{"keep":true,"b":{}}}}""",
            WriteObject(new FieldSelection(["remote_data.a.one", "remote_data.a.b.two", "remote_data.a.b.three"], omitNulls: false),
                w => w.WriteJson("remote_data", JsonElements.Parse("""{"a": {"one": 1, "keep": true, "b": {"two": 2, "three": 3}}}"""))));

    [Fact]
    public void Remote_data_walked_member_by_member_reads_as_it_does_copied_whole()
    {
        const string data = """{"caf\u00e9 <a>": {"\"q\"": "\u00e9\n"}, "n": [1.50, true, null, {"x": "y"}]}""";
        var whole = WriteObject(FieldSelection.All, w => w.WriteJson("remote_data", JsonElements.Parse(data)));

        var walked = WriteObject(new FieldSelection(["remote_data.absent.x", "remote_data.n.absent"], omitNulls: false), w => w.WriteJson("remote_data", JsonElements.Parse(data)));

        Assert.Equal(whole, walked);
    }

    [Theory]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("[1,2]", "[1,2]")]
    [InlineData("null", "null")]
    public void Remote_data_that_is_not_an_object_is_written_as_it_is(string json, string written)
        => Assert.Equal($$"""{"remote_data":{{written}}}""", WriteObject(FieldSelection.All, w => w.WriteJson("remote_data", JsonElements.Parse(json))));

    [Fact]
    public void Nested_objects_qualify_their_fields_for_exclusions()
        => Assert.Equal("""{"owner":{"name":"n"}}""", WriteObject(new FieldSelection(["owner.id"], omitNulls: false), w =>
        {
            Assert.True(w.BeginObject("owner"));
            w.WriteString("id", MappedValue.From("u1"));
            w.WriteString("name", MappedValue.From("n"));
            w.EndObject();
        }));

    [Fact]
    public void An_excluded_nested_object_is_not_begun()
        => Assert.Equal("{}", WriteObject(new FieldSelection(["owner"], omitNulls: false), w => Assert.False(w.BeginObject("owner"))));

    [Fact]
    public void A_nested_object_whose_fields_all_end_up_left_out_is_written_empty()
        => Assert.Equal("""{"owner":{}}""", WriteObject(new FieldSelection(["owner.id"], omitNulls: true), w =>
        {
            w.BeginObject("owner");
            w.WriteString("id", MappedValue.From("u1"));
            w.WriteString("name", MappedValue.Null);
            w.EndObject();
        }));

    [Fact]
    public void Objects_nest_to_any_depth_and_end_back_at_their_parent()
        => Assert.Equal("""{"a":{"b":{"c":"kept"},"y":"y"},"x":"x"}""", WriteObject(new FieldSelection(["a.b.d", "a.z"], omitNulls: false), w =>
        {
            w.BeginObject("a");
            w.BeginObject("b");
            w.WriteString("c", MappedValue.From("kept"));
            w.WriteString("d", MappedValue.From("dropped"));
            w.EndObject();
            w.WriteString("y", MappedValue.From("y"));
            w.WriteString("z", MappedValue.From("dropped"));
            w.EndObject();
            w.WriteString("x", MappedValue.From("x"));
        }));

    [Fact]
    public void Arrays_of_objects_qualify_the_fields_of_every_item()
        => Assert.Equal("""{"emails":[{"email":"a@x"},{"email":"b@x"}]}""", WriteObject(new FieldSelection(["emails.type"], omitNulls: false), w =>
        {
            Assert.True(w.BeginArray("emails"));
            foreach (var (email, type) in new[] { ("a@x", "work"), ("b@x", "home") })
            {
                w.BeginItem();
                w.WriteString("email", MappedValue.From(email));
                w.WriteString("type", MappedValue.From(type));
                w.EndItem();
            }
            w.EndArray();
        }));

    [Fact]
    public void An_excluded_array_is_not_begun()
        => Assert.Equal("{}", WriteObject(new FieldSelection(["emails"], omitNulls: false), w => Assert.False(w.BeginArray("emails"))));

    [Fact]
    public void An_array_without_items_is_written_empty()
        => Assert.Equal("""{"emails":[]}""", WriteObject(FieldSelection.All, w =>
        {
            w.BeginArray("emails");
            w.EndArray();
        }));

    [Fact]
    public void Items_whose_fields_all_end_up_left_out_are_written_empty()
        => Assert.Equal("""{"phones":[{}]}""", WriteObject(Normalized, w =>
        {
            w.BeginArray("phones");
            w.BeginItem();
            w.WriteString("number", MappedValue.Null);
            w.EndItem();
            w.EndArray();
        }));

    [Fact]
    public void Fields_after_an_array_are_qualified_from_the_parent_again()
        => Assert.Equal("""{"emails":[{"type":"t"}],"email":"top"}""", WriteObject(new FieldSelection(["emails.email"], omitNulls: false), w =>
        {
            w.BeginArray("emails");
            w.BeginItem();
            w.WriteString("email", MappedValue.From("dropped"));
            w.WriteString("type", MappedValue.From("t"));
            w.EndItem();
            w.EndArray();
            w.WriteString("email", MappedValue.From("top"));
        }));

    [Fact]
    public void Remote_data_inside_a_nested_object_is_qualified_by_its_full_path()
        => Assert.Equal("""{"meta":{"raw":{"b":2}}}""", WriteObject(new FieldSelection(["meta.raw.a"], omitNulls: false), w =>
        {
            w.BeginObject("meta");
            w.WriteJson("raw", JsonElements.Parse("""{"a": 1, "b": 2}"""));
            w.EndObject();
        }));
}
