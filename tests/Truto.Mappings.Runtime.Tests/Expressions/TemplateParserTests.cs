using Truto.Mappings.Expressions;

namespace Truto.Mappings.Runtime.Tests.Expressions;

/// <summary>String templates with {{id}}, {{ids}}, {{ids | join('sep')}} and {{context.key}} placeholders.</summary>
public sealed class TemplateParserTests
{
    private static Template Valid(string text)
    {
        var (template, error) = TemplateParser.Parse(text);
        Assert.Null(error);
        return Assert.IsType<Template>(template);
    }

    private static ExpressionError Invalid(string text)
    {
        var (template, error) = TemplateParser.Parse(text);
        Assert.Null(template);
        return Assert.IsType<ExpressionError>(error);
    }

    private static TemplatePart Literal(string text) => new(text, null);

    private static TemplatePart Placeholder(PlaceholderSource source, int offset, string key = "", string? separator = null)
        => new(null, new Placeholder(source, key, separator, offset));

    [Fact]
    public void Text_without_placeholders_is_one_literal()
    {
        var template = Valid("/crm/v3/objects/contacts");

        Assert.Equal([Literal("/crm/v3/objects/contacts")], template.Parts);
        Assert.True(template.IsLiteral);
        Assert.False(template.IsSinglePlaceholder);
    }

    [Fact]
    public void An_empty_template_is_a_literal_without_parts()
    {
        var template = Valid("");

        Assert.Empty(template.Parts);
        Assert.True(template.IsLiteral);
    }

    [Fact]
    public void Placeholders_split_the_literal_text_around_them()
        => Assert.Equal(
            [Literal("/sobjects/Contact/"), Placeholder(PlaceholderSource.Id, 18), Literal("/x")],
            Valid("/sobjects/Contact/{{id}}/x").Parts);

    [Fact]
    public void A_template_of_exactly_one_placeholder_says_so()
    {
        var template = Valid("{{id}}");

        Assert.True(template.IsSinglePlaceholder);
        Assert.False(template.IsLiteral);
    }

    [Fact]
    public void Adjacent_placeholders_have_no_literal_between_them()
        => Assert.Equal(
            [Placeholder(PlaceholderSource.Id, 0), Placeholder(PlaceholderSource.Context, 6, "a")],
            Valid("{{id}}{{context.a}}").Parts);

    [Theory]
    [InlineData("{{ id }}")]
    [InlineData("{{id }}")]
    [InlineData("{{\tid}}")]
    public void White_space_inside_the_braces_is_ignored(string text)
        => Assert.Equal([Placeholder(PlaceholderSource.Id, 0)], Valid(text).Parts);

    [Fact]
    public void Ids_alone_is_a_list()
    {
        var placeholder = Valid("{{ids}}").Parts[0].Placeholder!;

        Assert.Equal(PlaceholderSource.Ids, placeholder.Source);
        Assert.True(placeholder.IsList);
    }

    [Theory]
    [InlineData("{{ids | join(',')}}", ",")]
    [InlineData("{{ids|join(\";\")}}", ";")]
    [InlineData("{{ ids | join( ', ' ) }}", ", ")]
    [InlineData("{{ids | join('')}}", "")]
    [InlineData("{{ids | join('|')}}", "|")]
    [InlineData("{{ids | join(')')}}", ")")]
    public void Joined_ids_are_one_string_with_the_separator(string text, string separator)
    {
        var placeholder = Valid(text).Parts[0].Placeholder!;

        Assert.Equal(PlaceholderSource.Ids, placeholder.Source);
        Assert.Equal(separator, placeholder.JoinSeparator);
        Assert.False(placeholder.IsList);
    }

    [Theory]
    [InlineData("{{context.instance_url}}", "instance_url")]
    [InlineData("{{context.oauth.token.access_token}}", "oauth.token.access_token")]
    [InlineData("{{ context.a }}", "a")]
    [InlineData("{{context.clé}}", "clé")]
    public void Context_placeholders_keep_the_key_path(string text, string key)
        => Assert.Equal([Placeholder(PlaceholderSource.Context, 0, key)], Valid(text).Parts);

    [Theory]
    [InlineData("{ id }")]
    [InlineData("a } b")]
    [InlineData("}}")]
    [InlineData("{\"json\": true}")]
    public void Single_braces_and_a_lone_closing_pair_are_literal_text(string text)
        => Assert.Equal([Literal(text)], Valid(text).Parts);

    [Fact]
    public void Literal_text_after_the_last_placeholder_is_kept()
        => Assert.Equal([Placeholder(PlaceholderSource.Id, 0), Literal("}")], Valid("{{id}}}").Parts);

    [Fact]
    public void The_template_keeps_its_source_text()
        => Assert.Equal("Bearer {{context.token}}", Valid("Bearer {{context.token}}").ToString());

    [Fact]
    public void Equal_text_parses_to_equal_templates()
        => Assert.Equal(Valid("/a/{{ids | join(',')}}"), Valid("/a/{{ids | join(',')}}"));

    [Theory]
    [InlineData("{{id", 0, "'{{' has no closing '}}'")]
    [InlineData("/contacts/{{id}/x", 10, "'{{' has no closing '}}'")]
    [InlineData("{{id}} and {{ids", 11, "'{{' has no closing '}}'")]
    [InlineData("{{", 0, "'{{' has no closing '}}'")]
    [InlineData("{{}}", 0, "placeholder '{{}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("x{{ID}}", 1, "placeholder '{{ID}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("{{name}}", 0, "placeholder '{{name}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("{{context.}}", 0, "placeholder '{{context.}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("{{context}}", 0, "placeholder '{{context}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("{{{id}}}", 0, "placeholder '{{{id}}' names nothing: use id, ids, or context.<key>")]
    [InlineData("{{ids | upper}}", 0, "unknown filter 'upper': the only filter is join('separator')")]
    [InlineData("{{ids | join}}", 0, "unknown filter 'join': the only filter is join('separator')")]
    [InlineData("{{ids |}}", 0, "unknown filter '': the only filter is join('separator')")]
    [InlineData("{{ids | join(,)}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join()}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join(',\")}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join(')}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{id | join(',')}}", 0, "join applies to 'ids', not to 'id'")]
    [InlineData("{{context.a | join(',')}}", 0, "join applies to 'ids', not to context values")]
    public void Invalid_templates_say_what_is_wrong_and_where_the_placeholder_starts(string text, int offset, string message)
        => Assert.Equal(new ExpressionError(message, offset), Invalid(text));

    [Fact]
    public void A_separator_cannot_hold_the_closing_braces()
        => Assert.Equal(0, Invalid("{{ids | join('}}')}}").Offset);
}
