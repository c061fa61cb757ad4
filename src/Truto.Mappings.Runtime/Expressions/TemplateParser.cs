using System.Collections.Generic;

namespace Truto.Mappings.Expressions;

/// <summary>
/// Parses string templates: literal text with <c>{{id}}</c>, <c>{{ids}}</c>,
/// <c>{{ids | join(',')}}</c> and <c>{{context.key.path}}</c> placeholders.
/// </summary>
internal static class TemplateParser
{
    /// <summary>Parses <paramref name="text"/>; exactly one of the results is non-null.</summary>
    public static (Template? Template, ExpressionError? Error) Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, System.StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(new TemplatePart(text.Substring(position), null));
                break;
            }
            if (open > position)
            {
                parts.Add(new TemplatePart(text.Substring(position, open - position), null));
            }
            var close = text.IndexOf("}}", open + 2, System.StringComparison.Ordinal);
            if (close < 0)
            {
                return (null, new ExpressionError("'{{' has no closing '}}'", open));
            }
            var (placeholder, error) = ParsePlaceholder(text.Substring(open + 2, close - open - 2), open);
            if (error is not null)
            {
                return (null, error);
            }
            parts.Add(new TemplatePart(null, placeholder));
            position = close + 2;
        }
        return (new Template(parts.ToEquatableArray(), text), null);
    }

    private static (Placeholder?, ExpressionError?) ParsePlaceholder(string inner, int offset)
    {
        var pipe = inner.IndexOf('|');
        var name = (pipe < 0 ? inner : inner.Substring(0, pipe)).Trim();
        string? separator = null;
        if (pipe >= 0)
        {
            var filter = inner.Substring(pipe + 1).Trim();
            if (!filter.StartsWith("join(", System.StringComparison.Ordinal) || !filter.EndsWith(")", System.StringComparison.Ordinal))
            {
                return (null, new ExpressionError($"unknown filter '{filter}': the only filter is join('separator')", offset));
            }
            var argument = filter.Substring(5, filter.Length - 6).Trim();
            if (argument.Length < 2 || (argument[0] != '\'' && argument[0] != '"') || argument[argument.Length - 1] != argument[0])
            {
                return (null, new ExpressionError("join takes one quoted separator, e.g. join(',')", offset));
            }
            separator = argument.Substring(1, argument.Length - 2);
        }

        if (name == "id")
        {
            return separator is null
                ? (new Placeholder(PlaceholderSource.Id, "", null, offset), null)
                : (null, new ExpressionError("join applies to 'ids', not to 'id'", offset));
        }
        if (name == "ids")
        {
            return (new Placeholder(PlaceholderSource.Ids, "", separator, offset), null);
        }
        const string contextPrefix = "context.";
        if (name.StartsWith(contextPrefix, System.StringComparison.Ordinal) && name.Length > contextPrefix.Length)
        {
            return separator is null
                ? (new Placeholder(PlaceholderSource.Context, name.Substring(contextPrefix.Length), null, offset), null)
                : (null, new ExpressionError("join applies to 'ids', not to context values", offset));
        }
        return (null, new ExpressionError($"placeholder '{{{{{name}}}}}' names nothing: use id, ids, or context.<key>", offset));
    }
}
