using System.Collections.Generic;

namespace Truto.Mappings.Expressions;

/// <summary>
/// Parses string templates: literal text with <c>{{id}}</c>, <c>{{ids}}</c>,
/// <c>{{ids | join(',')}}</c> and <c>{{context.key.path}}</c> placeholders; context keys may fall
/// back to further keys and end in a quoted constant (<c>{{context.a ?? context.b ?? 'x'}}</c>), and
/// <c>| number</c> writes a value as a JSON number. Grammar of a placeholder:
/// <code>
/// placeholder := source [ '|' filter ]
/// source      := 'id' | 'ids' | 'context.' key ( '??' 'context.' key )* [ '??' quoted ]
/// filter      := 'join(' quoted ')' | 'number'
/// </code>
/// </summary>
internal static class TemplateParser
{
    private const string ContextPrefix = "context.";
    private const string Fallback = "??";

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

    /// <param name="inner">The text between the braces.</param>
    /// <param name="offset">Where the placeholder's <c>{{</c> is in the template (the text begins 2 after it).</param>
    private static (Placeholder?, ExpressionError?) ParsePlaceholder(string inner, int offset)
    {
        var start = offset + 2;
        var pipe = IndexOutsideQuotes(inner, "|", 0);
        var source = pipe < 0 ? inner : inner.Substring(0, pipe);
        string? separator = null;
        var number = false;
        var filterOffset = 0;
        if (pipe >= 0)
        {
            var rawFilter = inner.Substring(pipe + 1);
            var filter = rawFilter.Trim();
            filterOffset = start + pipe + 1 + (rawFilter.Length - rawFilter.TrimStart().Length);
            if (IndexOutsideQuotes(filter, "|", 0) >= 0)
            {
                return (null, new ExpressionError("a placeholder takes one filter: join('separator') or number", offset));
            }
            if (filter == "number")
            {
                number = true;
            }
            else if (filter.StartsWith("join(", System.StringComparison.Ordinal) && filter.EndsWith(")", System.StringComparison.Ordinal))
            {
                var argument = filter.Substring(5, filter.Length - 6).Trim();
                if (argument.Length < 2 || (argument[0] != '\'' && argument[0] != '"') || argument[argument.Length - 1] != argument[0])
                {
                    return (null, new ExpressionError("join takes one quoted separator, e.g. join(',')", offset));
                }
                separator = argument.Substring(1, argument.Length - 2);
            }
            else
            {
                return (null, new ExpressionError($"unknown filter '{filter}': the filters are join('separator') and number", offset));
            }
        }

        var operands = SplitFallbacks(source, start);
        var name = operands[0].Text;
        if (operands.Count > 1 && !name.StartsWith(ContextPrefix, System.StringComparison.Ordinal))
        {
            return (null, new ExpressionError(name.Length == 0
                ? "'??' needs a context key before it: {{context.a ?? context.b}}"
                : $"'??' chooses between context keys, and '{name}' is not one: {{{{context.a ?? context.b}}}}", offset));
        }
        if (name == "id")
        {
            return separator is null
                ? (new Placeholder(PlaceholderSource.Id, "", null, offset) { AsNumber = number, FilterOffset = filterOffset }, null)
                : (null, new ExpressionError("join applies to 'ids', not to 'id'", offset));
        }
        if (name == "ids")
        {
            return (new Placeholder(PlaceholderSource.Ids, "", separator, offset) { AsNumber = number, FilterOffset = filterOffset }, null);
        }
        if (!name.StartsWith(ContextPrefix, System.StringComparison.Ordinal) || name.Length == ContextPrefix.Length)
        {
            return (null, new ExpressionError($"placeholder '{{{{{name}}}}}' names nothing: use id, ids, or context.<key>", offset));
        }
        if (separator is not null)
        {
            return (null, new ExpressionError("join applies to 'ids', not to context values", offset));
        }

        var fallbacks = new List<FallbackKey>();
        var seen = new HashSet<string>(System.StringComparer.Ordinal) { name.Substring(ContextPrefix.Length) };
        string? constant = null;
        var constantOffset = 0;
        for (var i = 1; i < operands.Count; i++)
        {
            var operand = operands[i];
            if (constant is not null)
            {
                return (null, new ExpressionError("a quoted default comes last: nothing can follow it", operand.Offset));
            }
            if (operand.Text.Length == 0)
            {
                return (null, new ExpressionError("'??' needs a context key or a quoted default after it", operand.Offset));
            }
            if (operand.Text[0] is '\'' or '"')
            {
                constant = Quoted(operand.Text);
                if (constant is null)
                {
                    return (null, new ExpressionError("a default is one quoted text, e.g. 'us'", operand.Offset));
                }
                constantOffset = operand.Offset;
                continue;
            }
            if (!operand.Text.StartsWith(ContextPrefix, System.StringComparison.Ordinal) || operand.Text.Length == ContextPrefix.Length)
            {
                return (null, new ExpressionError($"'{operand.Text}' after '??' names nothing: use context.<key> or a quoted default", operand.Offset));
            }
            var key = operand.Text.Substring(ContextPrefix.Length);
            if (!seen.Add(key))
            {
                return (null, new ExpressionError($"context key '{key}' is named twice", operand.Offset));
            }
            fallbacks.Add(new FallbackKey(key, operand.Offset));
        }
        return (new Placeholder(PlaceholderSource.Context, name.Substring(ContextPrefix.Length), null, offset)
        {
            Fallbacks = fallbacks.ToEquatableArray(),
            Default = constant,
            DefaultOffset = constantOffset,
            AsNumber = number,
            FilterOffset = filterOffset,
        }, null);
    }

    /// <summary>The operands between <c>??</c>s, trimmed, each with where its text begins in the template.</summary>
    private static List<(string Text, int Offset)> SplitFallbacks(string source, int start)
    {
        var operands = new List<(string, int)>();
        var from = 0;
        while (true)
        {
            var at = IndexOutsideQuotes(source, Fallback, from);
            var raw = at < 0 ? source.Substring(from) : source.Substring(from, at - from);
            var lead = raw.Length - raw.TrimStart().Length;
            operands.Add((raw.Trim(), start + from + lead));
            if (at < 0)
            {
                return operands;
            }
            from = at + Fallback.Length;
        }
    }

    /// <summary>Where <paramref name="token"/> next occurs in <paramref name="text"/> from <paramref name="from"/>, outside quotes; -1 when it does not.</summary>
    private static int IndexOutsideQuotes(string text, string token, int from)
    {
        char? quote = null;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                quote = c == quote ? null : quote;
            }
            else if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (string.CompareOrdinal(text, i, token, 0, token.Length) == 0)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The text inside one pair of matching quotes ('…' or "…") that is the whole of <paramref name="text"/>, or null.</summary>
    private static string? Quoted(string text)
        => text.Length >= 2 && (text[0] == '\'' || text[0] == '"') && text[text.Length - 1] == text[0] && text.IndexOf(text[0], 1) == text.Length - 1
            ? text.Substring(1, text.Length - 2)
            : null;
}
