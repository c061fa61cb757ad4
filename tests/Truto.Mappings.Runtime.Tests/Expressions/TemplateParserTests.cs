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
    [InlineData("{{ids | upper}}", 0, "unknown filter 'upper': the filters are join('separator') and number")]
    [InlineData("{{ids | join}}", 0, "unknown filter 'join': the filters are join('separator') and number")]
    [InlineData("{{ids |}}", 0, "unknown filter '': the filters are join('separator') and number")]
    [InlineData("{{ids | join(,)}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join()}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join(',\")}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{ids | join(')}}", 0, "join takes one quoted separator, e.g. join(',')")]
    [InlineData("{{id | join(',')}}", 0, "join applies to 'ids', not to 'id'")]
    [InlineData("{{context.a | join(',')}}", 0, "join applies to 'ids', not to context values")]
    public void Invalid_templates_say_what_is_wrong_and_where_the_placeholder_starts(string text, int offset, string message)
        => Assert.Equal(new ExpressionError(message, offset), Invalid(text));

    [Theory]
    [InlineData("{{ids | join(',') | number}}", 0, "a placeholder takes one filter: join('separator') or number")]
    [InlineData("{{id ?? context.a}}", 0, "'??' chooses between context keys, and 'id' is not one: {{context.a ?? context.b}}")]
    [InlineData("{{ ?? context.a}}", 0, "'??' needs a context key before it: {{context.a ?? context.b}}")]
    [InlineData("{{context.a ??}}", 14, "'??' needs a context key or a quoted default after it")]
    [InlineData("{{context.a ?? 'x' ?? context.b}}", 22, "a quoted default comes last: nothing can follow it")]
    [InlineData("{{context.a ?? 'x}}", 15, "a default is one quoted text, e.g. 'us'")]
    [InlineData("{{context.a ?? api_key}}", 15, "'api_key' after '??' names nothing: use context.<key> or a quoted default")]
    [InlineData("{{context.a ?? context.a}}", 15, "context key 'a' is named twice")]
    [InlineData("{{context.a ?? 'x' | join(',')}}", 0, "join applies to 'ids', not to context values")]
    public void Invalid_fallbacks_and_filters_say_what_is_wrong_and_where(string text, int offset, string message)
        => Assert.Equal(new ExpressionError(message, offset), Invalid(text));

    [Fact]
    public void Fallback_keys_are_tried_in_order_each_with_where_it_stands()
    {
        var placeholder = Valid("Bearer {{context.oauth.token.access_token ?? context.api_key}}").Parts[1].Placeholder!;

        Assert.Equal("oauth.token.access_token", placeholder.ContextKey);
        Assert.Equal([new FallbackKey("api_key", 45)], placeholder.Fallbacks);
        Assert.Equal([new FallbackKey("oauth.token.access_token", 7), new FallbackKey("api_key", 45)], placeholder.ContextKeys);
        Assert.Null(placeholder.Default);
        Assert.True(placeholder.HasFallback);
    }

    [Theory]
    [InlineData("{{context.region ?? 'us'}}", "us", 20)]
    [InlineData("{{context.region ?? context.zone ?? \"eu | west ?? x\"}}", "eu | west ?? x", 36)]
    [InlineData("{{context.region??''}}", "", 18)]
    public void A_chain_may_end_in_a_quoted_default_that_may_hold_pipes_and_question_marks(string text, string constant, int offset)
    {
        var placeholder = Valid(text).Parts[0].Placeholder!;

        Assert.Equal(constant, placeholder.Default);
        Assert.Equal(offset, placeholder.DefaultOffset);
        Assert.False(placeholder.AsNumber);
    }

    [Theory]
    [InlineData("{{id | number}}", "Id", 7)]
    [InlineData("{{ids|number}}", "Ids", 6)]
    [InlineData("{{context.pipeline_id | number}}", "Context", 24)]
    [InlineData("{{context.a ?? '5' | number}}", "Context", 21)]
    public void The_number_filter_marks_the_value_as_a_JSON_number(string text, string source, int filterOffset)
    {
        var placeholder = Valid(text).Parts[0].Placeholder!;

        Assert.Equal((source, true, filterOffset), (placeholder.Source.ToString(), placeholder.AsNumber, placeholder.FilterOffset));
        Assert.Null(placeholder.JoinSeparator);
    }

    [Fact]
    public void Ids_as_numbers_are_still_a_list()
        => Assert.True(Valid("{{ids | number}}").Parts[0].Placeholder!.IsList);

    [Fact]
    public void A_separator_cannot_hold_the_closing_braces()
        => Assert.Equal(0, Invalid("{{ids | join('}}')}}").Offset);
}
