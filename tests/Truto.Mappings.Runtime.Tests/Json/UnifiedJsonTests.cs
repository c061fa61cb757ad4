using System.Text.Json;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Json;

/// <summary>Reading and writing the typed unified model's fields, as generated FromJson/WriteTo call them.</summary>
public sealed class UnifiedJsonTests
{
    private static readonly JsonElement Contact = JsonElements.Parse("""
        {
          "name": "Ada", "age_text": "36", "age": 36, "big": 1e400, "active": true, "active_text": "False",
          "created_at": "2024-01-02T03:04:05Z", "day": "2024-01-02", "offset": "2024-01-02T03:04:05+02:00",
          "custom": {"a": 1}, "list": [1], "owner": {"id": "u1"},
          "emails": [{"email": "a@x"}, "not an object", {"email": "b@x"}], "nothing": null
        }
        """);

    private sealed record Email(string? Address);

    [Theory]
    [InlineData("name", "Ada")]
    [InlineData("age", "36")]
    [InlineData("active", "true")]
    public void ReadString_reads_scalars_as_text(string field, string text)
        => Assert.Equal(text, UnifiedJson.ReadString(Contact, System.Text.Encoding.UTF8.GetBytes(field)));

    [Theory]
    [InlineData("missing")]
    [InlineData("nothing")]
    [InlineData("custom")]
    [InlineData("list")]
    public void ReadString_of_missing_null_objects_and_arrays_is_null(string field)
        => Assert.Null(UnifiedJson.ReadString(Contact, System.Text.Encoding.UTF8.GetBytes(field)));

    [Fact]
    public void ReadDateTime_reads_iso_8601_with_its_offset()
    {
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), UnifiedJson.ReadDateTime(Contact, "created_at"u8));
        Assert.Equal(new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)), UnifiedJson.ReadDateTime(Contact, "offset"u8));
    }

    [Fact]
    public void ReadDateTime_takes_a_date_without_an_offset_as_utc()
        => Assert.Equal(new DateTimeOffset(2024, 1, 2, 0, 0, 0, TimeSpan.Zero), UnifiedJson.ReadDateTime(Contact, "day"u8));

    [Theory]
    [InlineData("name")]
    [InlineData("missing")]
    [InlineData("custom")]
    public void ReadDateTime_of_anything_but_a_date_is_null(string field)
        => Assert.Null(UnifiedJson.ReadDateTime(Contact, System.Text.Encoding.UTF8.GetBytes(field)));

    [Fact]
    public void ReadBoolean_reads_json_booleans_and_their_text()
    {
        Assert.True(UnifiedJson.ReadBoolean(Contact, "active"u8));
        Assert.False(UnifiedJson.ReadBoolean(Contact, "active_text"u8));
        Assert.Null(UnifiedJson.ReadBoolean(Contact, "name"u8));
        Assert.Null(UnifiedJson.ReadBoolean(Contact, "missing"u8));
    }

    [Fact]
    public void ReadNumber_reads_json_numbers_and_numeric_text()
    {
        Assert.Equal(36m, UnifiedJson.ReadNumber(Contact, "age"u8));
        Assert.Equal(36m, UnifiedJson.ReadNumber(Contact, "age_text"u8));
        Assert.Null(UnifiedJson.ReadNumber(Contact, "name"u8));
    }

    [Fact]
    public void ReadNumber_beyond_decimal_range_is_null()
        => Assert.Null(UnifiedJson.ReadNumber(Contact, "big"u8));

    [Fact]
    public void ReadRecord_reads_an_object_detached_from_its_document()
    {
        JsonElement? record;
        using (var document = JsonDocument.Parse("""{"custom": {"a": 1}}"""))
        {
            record = UnifiedJson.ReadRecord(document.RootElement, "custom"u8);
        }

        Assert.Equal(1, record?.GetProperty("a").GetInt32());
    }

    [Fact]
    public void ReadRecord_of_anything_but_an_object_is_null()
    {
        Assert.Null(UnifiedJson.ReadRecord(Contact, "list"u8));
        Assert.Null(UnifiedJson.ReadRecord(Contact, "name"u8));
        Assert.Null(UnifiedJson.ReadRecord(Contact, "missing"u8));
    }

    [Fact]
    public void ReadObject_reads_a_nested_object()
        => Assert.Equal(new Email("u1"), UnifiedJson.ReadObject(Contact, "owner"u8, e => new Email(UnifiedJson.ReadString(e, "id"u8))));

    [Fact]
    public void ReadObject_of_anything_but_an_object_is_null_without_calling_the_reader()
        => Assert.Null(UnifiedJson.ReadObject<Email>(Contact, "list"u8, _ => throw new InvalidOperationException("not called")));

    [Fact]
    public void ReadArray_reads_the_object_items_and_skips_the_rest()
        => Assert.Equal(
            [new Email("a@x"), new Email("b@x")],
            UnifiedJson.ReadArray(Contact, "emails"u8, e => new Email(UnifiedJson.ReadString(e, "email"u8))));

    [Fact]
    public void ReadArray_of_anything_but_an_array_is_null()
        => Assert.Null(UnifiedJson.ReadArray(Contact, "owner"u8, e => new Email(null)));

    [Fact]
    public void Readers_are_required()
    {
        Assert.Throws<ArgumentNullException>(() => UnifiedJson.ReadObject<Email>(Contact, "owner"u8, null!));
        Assert.Throws<ArgumentNullException>(() => UnifiedJson.ReadArray<Email>(Contact, "emails"u8, null!));
    }

    [Fact]
    public void Writers_write_each_kind_of_field()
        => Assert.Equal(
            """{"s":"x","d":"2024-01-02T03:04:05+00:00","b":false,"n":1.50,"r":{"a":[1]},"l":[{"e":"a@x"}]}""",
            JsonElements.Write(w =>
            {
                w.WriteStartObject();
                UnifiedJson.Write(w, "s"u8, "x");
                UnifiedJson.Write(w, "d"u8, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
                UnifiedJson.Write(w, "b"u8, (bool?)false);
                UnifiedJson.Write(w, "n"u8, (decimal?)1.50m);
                UnifiedJson.Write(w, "r"u8, (JsonElement?)JsonElements.Parse("""{"a": [1]}"""));
                UnifiedJson.Write<Email>(w, "l"u8, [new Email("a@x")], (e, writer) =>
                {
                    writer.WriteStartObject();
                    UnifiedJson.Write(writer, "e"u8, e.Address);
                    writer.WriteEndObject();
                });
                w.WriteEndObject();
            }));

    [Fact]
    public void Writers_leave_out_null_fields()
        => Assert.Equal("{}", JsonElements.Write(w =>
        {
            w.WriteStartObject();
            UnifiedJson.Write(w, "s"u8, (string?)null);
            UnifiedJson.Write(w, "d"u8, (DateTimeOffset?)null);
            UnifiedJson.Write(w, "b"u8, (bool?)null);
            UnifiedJson.Write(w, "n"u8, (decimal?)null);
            UnifiedJson.Write(w, "r"u8, (JsonElement?)null);
            UnifiedJson.Write<Email>(w, "l"u8, null, (_, _) => throw new InvalidOperationException("not called"));
            w.WriteEndObject();
        }));

    [Fact]
    public void An_empty_list_is_written_as_an_empty_array()
        => Assert.Equal("""{"l":[]}""", JsonElements.Write(w =>
        {
            w.WriteStartObject();
            UnifiedJson.Write<Email>(w, "l"u8, [], (_, _) => { });
            w.WriteEndObject();
        }));

    [Fact]
    public void Writers_require_a_writer()
    {
        using var writer = new Utf8JsonWriter(Stream.Null);

        Assert.Throws<ArgumentNullException>(() => UnifiedJson.Write(null!, "s"u8, "x"));
        Assert.Throws<ArgumentNullException>(() => UnifiedJson.Write<Email>(writer, "l"u8, [], null!));
    }
}
