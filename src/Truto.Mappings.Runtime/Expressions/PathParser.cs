using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Truto.Mappings.Expressions;

/// <summary>
/// Parses the supported JSONPath subset:
/// <c>$</c> or <c>@</c>, then <c>.name</c>, <c>['name']</c>, <c>[n]</c>, <c>[*]</c>, <c>.*</c> and
/// <c>[?@.a == literal-or-$.path]</c> / <c>[?@.a != …]</c> / <c>[?@.a]</c>.
/// Hand-written because no JSONPath package is served here and the tree must be shared with the
/// generator (netstandard2.0, no dependencies).
/// </summary>
internal sealed class PathParser
{
    private readonly string _text;
    private int _position;

    private PathParser(string text) => _text = text;

    /// <summary>Parses <paramref name="text"/>; exactly one of the results is non-null.</summary>
    public static (PathExpression? Path, ExpressionError? Error) Parse(string text)
    {
        var parser = new PathParser(text);
        try
        {
            var path = parser.ParsePath(allowFilter: true);
            if (parser._position < text.Length)
            {
                throw parser.Fail($"unexpected '{text[parser._position]}'");
            }
            return (path, null);
        }
        catch (PathSyntaxException e)
        {
            return (null, new ExpressionError(e.Message, e.Offset));
        }
    }

    private PathExpression ParsePath(bool allowFilter)
    {
        var start = _position;
        var root = Peek() switch
        {
            '$' => PathRoot.Document,
            '@' => PathRoot.Current,
            _ => throw Fail("a path starts with '$' (the response) or '@' (the current item)"),
        };
        _position++;
        var segments = new List<PathSegment>();
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (c == '.')
            {
                _position++;
                segments.Add(ParseDotSegment());
            }
            else if (c == '[')
            {
                _position++;
                segments.Add(ParseBracketSegment(allowFilter));
            }
            else
            {
                break;
            }
        }
        return new PathExpression(root, segments.ToEquatableArray(), _text.Substring(start, _position - start));
    }

    private PathSegment ParseDotSegment()
    {
        if (Peek() == '*')
        {
            _position++;
            return new WildcardSegment();
        }
        var start = _position;
        while (_position < _text.Length && IsNameChar(_text[_position], _position == start))
        {
            _position++;
        }
        if (_position == start)
        {
            throw Fail("expected a member name after '.'");
        }
        return new NameSegment(_text.Substring(start, _position - start));
    }

    private PathSegment ParseBracketSegment(bool allowFilter)
    {
        SkipSpaces();
        PathSegment segment;
        var c = Peek();
        if (c == '*')
        {
            _position++;
            segment = new WildcardSegment();
        }
        else if (c is '\'' or '"')
        {
            segment = new NameSegment(ParseQuoted());
        }
        else if (c == '?')
        {
            if (!allowFilter)
            {
                throw Fail("filters cannot be nested");
            }
            _position++;
            segment = new FilterSegment(ParseFilter());
        }
        else if (c == '-' || (c >= '0' && c <= '9'))
        {
            segment = new IndexSegment(ParseInteger());
        }
        else
        {
            throw Fail("expected a quoted name, an index, '*' or a '?' filter inside '[ ]'");
        }
        SkipSpaces();
        Expect(']');
        return segment;
    }

    private FilterExpression ParseFilter()
    {
        SkipSpaces();
        var subjectStart = _position;
        var subject = ParsePath(allowFilter: false);
        if (subject.Root != PathRoot.Current || !subject.IsSingular)
        {
            throw Fail("a filter compares a singular path from the element ('@.name') with a value", subjectStart);
        }
        SkipSpaces();
        if (Peek() == ']')
        {
            return new FilterExpression(subject, FilterOperator.Exists, null, null);
        }
        FilterOperator op;
        if (Consume("=="))
        {
            op = FilterOperator.Equal;
        }
        else if (Consume("!="))
        {
            op = FilterOperator.NotEqual;
        }
        else
        {
            throw Fail("expected '==', '!=' or ']' in the filter");
        }
        SkipSpaces();
        if (Peek() is '$' or '@')
        {
            var otherStart = _position;
            var other = ParsePath(allowFilter: false);
            if (other.Root != PathRoot.Document || !other.IsSingular)
            {
                throw Fail("the right side of a filter is a literal or a singular path from the response ('$.a.b')", otherStart);
            }
            return new FilterExpression(subject, op, null, other);
        }
        return new FilterExpression(subject, op, ParseLiteral(), null);
    }

    private LiteralValue ParseLiteral()
    {
        var c = Peek();
        if (c is '\'' or '"')
        {
            return new LiteralValue(LiteralKind.String, ParseQuoted());
        }
        if (Consume("true"))
        {
            return new LiteralValue(LiteralKind.True, "true");
        }
        if (Consume("false"))
        {
            return new LiteralValue(LiteralKind.False, "false");
        }
        if (Consume("null"))
        {
            return new LiteralValue(LiteralKind.Null, "null");
        }
        var start = _position;
        while (_position < _text.Length && "-+.eE0123456789".IndexOf(_text[_position]) >= 0)
        {
            _position++;
        }
        var number = _text.Substring(start, _position - start);
        if (number.Length == 0 || !double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            throw Fail("expected a string, number, true, false, null or a '$' path", start);
        }
        return new LiteralValue(LiteralKind.Number, number);
    }

    private string ParseQuoted()
    {
        var quote = _text[_position++];
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Fail($"unterminated string: missing closing {quote}");
            }
            var c = _text[_position++];
            if (c == quote)
            {
                return builder.ToString();
            }
            if (c == '\\')
            {
                if (_position >= _text.Length)
                {
                    throw Fail("unterminated escape sequence");
                }
                var escaped = _text[_position++];
                builder.Append(escaped switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '\\' or '\'' or '"' or '/' => escaped,
                    _ => throw Fail($"unknown escape '\\{escaped}'", _position - 2),
                });
                continue;
            }
            builder.Append(c);
        }
    }

    private int ParseInteger()
    {
        var start = _position;
        if (Peek() == '-')
        {
            _position++;
        }
        while (_position < _text.Length && char.IsDigit(_text[_position]))
        {
            _position++;
        }
        if (!int.TryParse(_text.Substring(start, _position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Fail("expected an array index", start);
        }
        return value;
    }

    private static bool IsNameChar(char c, bool first)
        => c == '_' || char.IsLetter(c) || (!first && (char.IsDigit(c) || c == '-'));

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    private bool Consume(string token)
    {
        if (string.CompareOrdinal(_text, _position, token, 0, token.Length) != 0)
        {
            return false;
        }
        _position += token.Length;
        return true;
    }

    private void Expect(char c)
    {
        if (Peek() != c)
        {
            throw Fail(_position < _text.Length ? $"expected '{c}' but found '{_text[_position]}'" : $"expected '{c}' at the end");
        }
        _position++;
    }

    private void SkipSpaces()
    {
        while (_position < _text.Length && _text[_position] == ' ')
        {
            _position++;
        }
    }

    private PathSyntaxException Fail(string message, int? offset = null) => new(message, offset ?? _position);

#pragma warning disable CA1064, CA1032 // private control-flow exception, never escapes Parse
    private sealed class PathSyntaxException(string message, int offset) : System.Exception(message)
    {
        public int Offset { get; } = offset;
    }
#pragma warning restore CA1064, CA1032
}
