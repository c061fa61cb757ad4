using Truto.Mappings.Expressions;

namespace Truto.Mappings.Runtime.Tests.Expressions;

/// <summary>The JSONPath subset shared by the generator and the runtime.</summary>
public sealed class PathParserTests
{
    private static PathExpression Valid(string text)
    {
        var (path, error) = PathParser.Parse(text);
        Assert.Null(error);
        return Assert.IsType<PathExpression>(path);
    }

    private static ExpressionError Invalid(string text)
    {
        var (path, error) = PathParser.Parse(text);
        Assert.Null(path);
        return Assert.IsType<ExpressionError>(error);
    }

    [Theory]
    [InlineData("$", nameof(PathRoot.Document))]
    [InlineData("@", nameof(PathRoot.Current))]
    public void A_bare_root_has_no_segments(string text, string root)
    {
        // Enum members by name: the expression model is internal, and a public test method cannot take its types.
        var path = Valid(text);

        Assert.Equal(Enum.Parse<PathRoot>(root), path.Root);
        Assert.Empty(path.Segments);
        Assert.True(path.IsSingular);
    }

    [Fact]
    public void Dotted_names_become_name_segments_in_order()
        => Assert.Equal([new NameSegment("results"), new NameSegment("first_name")], Valid("$.results.first_name").Segments);

    [Theory]
    [InlineData("$.a-b", "a-b")]
    [InlineData("$._id", "_id")]
    [InlineData("$.a1", "a1")]
    [InlineData("$.名前", "名前")]
    [InlineData("$.émail", "émail")]
    public void Names_may_hold_letters_of_any_script_digits_dashes_and_underscores(string text, string name)
        => Assert.Equal([new NameSegment(name)], Valid(text).Segments);

    [Theory]
    [InlineData("$['first name']", "first name")]
    [InlineData("$[\"a.b\"]", "a.b")]
    [InlineData("$['it\\'s']", "it's")]
    [InlineData("$[\"say \\\"hi\\\"\"]", "say \"hi\"")]
    [InlineData("$['a\\\\b']", "a\\b")]
    [InlineData("$['line\\nbreak\\ttab\\r']", "line\nbreak\ttab\r")]
    [InlineData("$['a\\/b']", "a/b")]
    [InlineData("$['']", "")]
    [InlineData("$['1']", "1")]
    [InlineData("$['日本']", "日本")]
    [InlineData("$[ 'spaced' ]", "spaced")]
    public void Quoted_names_take_any_text_with_escapes(string text, string name)
        => Assert.Equal([new NameSegment(name)], Valid(text).Segments);

    [Theory]
    [InlineData("$[0]", 0)]
    [InlineData("$[12]", 12)]
    [InlineData("$[-1]", -1)]
    [InlineData("$[-0]", 0)]
    [InlineData("$[ 3 ]", 3)]
    [InlineData("$[2147483647]", int.MaxValue)]
    [InlineData("$[-2147483648]", int.MinValue)]
    public void Indexes_become_index_segments(string text, int index)
        => Assert.Equal([new IndexSegment(index)], Valid(text).Segments);

    [Theory]
    [InlineData("$[*]")]
    [InlineData("$.*")]
    [InlineData("$[ * ]")]
    public void Wildcards_in_either_spelling_are_the_same_segment(string text)
    {
        var path = Valid(text);

        Assert.Equal([new WildcardSegment()], path.Segments);
        Assert.False(path.IsSingular);
    }

    [Fact]
    public void Segments_mix_freely()
        => Assert.Equal(
            [new NameSegment("a"), new IndexSegment(0), new NameSegment("b c"), new WildcardSegment(), new NameSegment("d")],
            Valid("$.a[0]['b c'][*].d").Segments);

    [Fact]
    public void The_path_keeps_its_source_text()
    {
        Assert.Equal("$.a[0]", Valid("$.a[0]").Text);
        Assert.Equal("$.a[0]", Valid("$.a[0]").ToString());
    }

    [Fact]
    public void Equal_text_parses_to_equal_trees()
        => Assert.Equal(Valid("$.items[?@.type == 'work'].value"), Valid("$.items[?@.type == 'work'].value"));

    [Fact]
    public void A_filter_compares_a_member_of_the_item_with_a_string()
    {
        var filter = Assert.IsType<FilterSegment>(Valid("$.emails[?@.type == 'work']").Segments[1]).Filter;

        Assert.Equal(PathRoot.Current, filter.Subject.Root);
        Assert.Equal([new NameSegment("type")], filter.Subject.Segments);
        Assert.Equal(FilterOperator.Equal, filter.Operator);
        Assert.Equal(new LiteralValue(LiteralKind.String, "work"), filter.Literal);
        Assert.Null(filter.Other);
    }

    [Theory]
    [InlineData("$[?@.a == 1]", nameof(LiteralKind.Number), "1")]
    [InlineData("$[?@.a == -1.5e3]", nameof(LiteralKind.Number), "-1.5e3")]
    [InlineData("$[?@.a == true]", nameof(LiteralKind.True), "true")]
    [InlineData("$[?@.a == false]", nameof(LiteralKind.False), "false")]
    [InlineData("$[?@.a == null]", nameof(LiteralKind.Null), "null")]
    [InlineData("$[?@.a == \"x\"]", nameof(LiteralKind.String), "x")]
    [InlineData("$[?@.a=='x']", nameof(LiteralKind.String), "x")]
    [InlineData("$[? @.a == 'x' ]", nameof(LiteralKind.String), "x")]
    public void Filter_literals_are_strings_numbers_booleans_and_null(string text, string kind, string literal)
        => Assert.Equal(new LiteralValue(Enum.Parse<LiteralKind>(kind), literal), Assert.IsType<FilterSegment>(Valid(text).Segments[0]).Filter.Literal);

    [Fact]
    public void A_filter_can_test_for_not_equal()
        => Assert.Equal(FilterOperator.NotEqual, Assert.IsType<FilterSegment>(Valid("$[?@.a != 'x']").Segments[0]).Filter.Operator);

    [Fact]
    public void A_filter_without_a_comparison_tests_existence()
    {
        var filter = Assert.IsType<FilterSegment>(Valid("$[?@.primary]").Segments[0]).Filter;

        Assert.Equal(FilterOperator.Exists, filter.Operator);
        Assert.Null(filter.Literal);
        Assert.Null(filter.Other);
    }

    [Fact]
    public void A_filter_can_compare_with_a_singular_path_from_the_response()
    {
        var filter = Assert.IsType<FilterSegment>(Valid("$.users[?@.id == $.links.owner[0]]").Segments[1]).Filter;

        Assert.Equal(PathRoot.Document, filter.Other?.Root);
        Assert.Equal([new NameSegment("links"), new NameSegment("owner"), new IndexSegment(0)], filter.Other!.Segments);
        Assert.Null(filter.Literal);
    }

    [Fact]
    public void A_filter_subject_may_be_the_item_itself_or_a_deep_member()
    {
        Assert.Empty(Assert.IsType<FilterSegment>(Valid("$[?@ == 'x']").Segments[0]).Filter.Subject.Segments);
        Assert.Equal(3, Assert.IsType<FilterSegment>(Valid("$[?@.a['b'][0] == 'x']").Segments[0]).Filter.Subject.Segments.Count);
    }

    [Fact]
    public void A_path_with_a_filter_is_not_singular()
        => Assert.False(Valid("$.a[?@.b]").IsSingular);

    [Theory]
    [InlineData("", 0, "a path starts with '$' (the response) or '@' (the current item)")]
    [InlineData("a.b", 0, "a path starts with '$' (the response) or '@' (the current item)")]
    [InlineData(" $.a", 0, "a path starts with '$' (the response) or '@' (the current item)")]
    [InlineData("$.", 2, "expected a member name after '.'")]
    [InlineData("$..a", 2, "expected a member name after '.'")]
    [InlineData("$.1a", 2, "expected a member name after '.'")]
    [InlineData("$.-a", 2, "expected a member name after '.'")]
    [InlineData("$.a b", 3, "unexpected ' '")]
    [InlineData("$a", 1, "unexpected 'a'")]
    [InlineData("$.a]", 3, "unexpected ']'")]
    [InlineData("$[", 2, "expected a quoted name, an index, '*' or a '?' filter inside '[ ]'")]
    [InlineData("$[a]", 2, "expected a quoted name, an index, '*' or a '?' filter inside '[ ]'")]
    [InlineData("$[0", 3, "expected ']' at the end")]
    [InlineData("$[0,1]", 3, "expected ']' but found ','")]
    [InlineData("$[-]", 2, "expected an array index")]
    [InlineData("$[2147483648]", 2, "expected an array index")]
    [InlineData("$['abc", 6, "unterminated string: missing closing '")]
    [InlineData("$[\"abc']", 8, "unterminated string: missing closing \"")]
    [InlineData("$['a\\", 5, "unterminated escape sequence")]
    [InlineData("$['\\u0041']", 3, "unknown escape '\\u'")]
    [InlineData("$['a'", 5, "expected ']' at the end")]
    public void Invalid_paths_say_what_is_wrong_and_where(string text, int offset, string message)
        => Assert.Equal(new ExpressionError(message, offset), Invalid(text));

    [Theory]
    [InlineData("$[?$.a == 1]", 3, "a filter compares a singular path from the element ('@.name') with a value")]
    [InlineData("$[?@.a[*] == 1]", 3, "a filter compares a singular path from the element ('@.name') with a value")]
    [InlineData("$[?@.a.* == 1]", 3, "a filter compares a singular path from the element ('@.name') with a value")]
    [InlineData("$[?@.a[?@.b]]", 7, "filters cannot be nested")]
    [InlineData("$[?@.a = 1]", 7, "expected '==', '!=' or ']' in the filter")]
    [InlineData("$[?@.a < 1]", 7, "expected '==', '!=' or ']' in the filter")]
    [InlineData("$[?@.a == ]", 10, "expected a string, number, true, false, null or a '$' path")]
    [InlineData("$[?@.a == 1e]", 10, "expected a string, number, true, false, null or a '$' path")]
    [InlineData("$[?@.a == 1.2.3]", 10, "expected a string, number, true, false, null or a '$' path")]
    [InlineData("$[?@.a == nope]", 10, "expected a string, number, true, false, null or a '$' path")]
    [InlineData("$[?@.a == truex]", 14, "expected ']' but found 'x'")]
    [InlineData("$[?@.a == @.b]", 10, "the right side of a filter is a literal or a singular path from the response ('$.a.b')")]
    [InlineData("$[?@.a == $.b[*]]", 10, "the right side of a filter is a literal or a singular path from the response ('$.a.b')")]
    [InlineData("$[?@.a == 'x'", 13, "expected ']' at the end")]
    [InlineData("$[?]", 3, "a path starts with '$' (the response) or '@' (the current item)")]
    public void Invalid_filters_say_what_is_wrong_and_where(string text, int offset, string message)
        => Assert.Equal(new ExpressionError(message, offset), Invalid(text));

    [Fact]
    public void Error_offsets_count_characters_not_bytes()
        => Assert.Equal(4, Invalid("$.名前 x").Offset);
}
