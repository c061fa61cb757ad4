using System.Text.Json;
using Truto.Mappings.Json;

namespace Truto.Mappings.Runtime.Tests.Json;

/// <summary>A value on its way to a unified field: a provider node or made text.</summary>
public sealed class MappedValueTests
{
    [Fact]
    public void The_default_value_is_null()
    {
        Assert.True(default(MappedValue).IsNull);
        Assert.True(MappedValue.Null.IsNull);
        Assert.Null(MappedValue.Null.AsText());
    }

    [Fact]
    public void A_missing_node_is_null()
        => Assert.True(MappedValue.From((JsonElement?)null).IsNull);

    [Fact]
    public void A_json_null_node_is_null()
        => Assert.True(MappedValue.From(JsonElements.Parse("null")).IsNull);

    [Fact]
    public void Null_text_is_null()
        => Assert.True(MappedValue.From((string?)null).IsNull);

    [Theory]
    [InlineData("\"\"")]
    [InlineData("0")]
    [InlineData("false")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Empty_and_falsy_nodes_are_values(string json)
        => Assert.False(MappedValue.From(JsonElements.Parse(json)).IsNull);

    [Fact]
    public void Empty_text_is_a_value()
        => Assert.False(MappedValue.From("").IsNull);

    [Fact]
    public void A_node_value_keeps_the_node_and_has_no_text()
    {
        var value = MappedValue.From(JsonElements.Parse("12"));

        Assert.Equal(JsonValueKind.Number, value.Element?.ValueKind);
        Assert.Null(value.Text);
        Assert.Equal("12", value.AsText());
    }

    [Fact]
    public void A_text_value_has_no_node()
    {
        var value = MappedValue.From("made");

        Assert.Null(value.Element);
        Assert.Equal("made", value.Text);
        Assert.Equal("made", value.AsText());
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[1]")]
    public void Objects_and_arrays_are_not_text(string json)
        => Assert.Null(MappedValue.From(JsonElements.Parse(json)).AsText());

    [Fact]
    public void FirstOf_is_the_first_value_that_is_not_null()
    {
        var first = MappedValue.FirstOf(MappedValue.Null, MappedValue.From(JsonElements.Parse("null")), MappedValue.From("b"), MappedValue.From("c"));

        Assert.Equal("b", first.AsText());
    }

    [Fact]
    public void FirstOf_takes_an_empty_string_as_a_value()
        => Assert.Equal("", MappedValue.FirstOf(MappedValue.From(JsonElements.Parse("\"\"")), MappedValue.From("later")).AsText());

    [Fact]
    public void FirstOf_with_every_value_missing_is_null()
        => Assert.True(MappedValue.FirstOf(MappedValue.Null, MappedValue.From((string?)null), MappedValue.From(JsonElements.Parse("null"))).IsNull);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void FirstOf_any_number_of_values_is_the_first_not_null_and_no_value_when_all_are_null(int count)
    {
        var nulls = Enumerable.Repeat(MappedValue.From(JsonElements.Parse("null")), count - 1).ToArray();
        var last = (MappedValue[])[.. nulls, MappedValue.From("last")];
        var allNull = (MappedValue[])[.. nulls, MappedValue.From(JsonElements.Parse("null"))];

        Assert.Equal("last", FirstOf(last).AsText());
        Assert.Null(FirstOf(allNull).Element);
        Assert.Equal("first", FirstOf([MappedValue.From("first"), .. last[1..]]).AsText());
    }

    // Each arity through its own overload, as generated code calls them.
    private static MappedValue FirstOf(MappedValue[] v) => v.Length switch
    {
        2 => MappedValue.FirstOf(v[0], v[1]),
        3 => MappedValue.FirstOf(v[0], v[1], v[2]),
        4 => MappedValue.FirstOf(v[0], v[1], v[2], v[3]),
        _ => MappedValue.FirstOf(v),
    };

    [Fact]
    public void FirstOf_nothing_is_null()
        => Assert.True(MappedValue.FirstOf().IsNull);
}
