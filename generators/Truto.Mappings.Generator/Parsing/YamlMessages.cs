namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Says what YamlDotNet's commonest complaints mean for a provider file, almost always a line
/// indented differently from its siblings or a ': ' inside an unquoted value, and keeps the
/// parser's own words after it so they can still be searched for.
/// </summary>
internal static class YamlMessages
{
    private static readonly (string Parser, string Meaning)[] Known =
    [
        ("While parsing a block mapping, did not find expected key.",
            "this line does not line up with the keys before it: the keys of one mapping start in the same column and end with ':'; check this line's indentation (or a missing ':')"),
        ("While scanning a plain scalar value, found invalid mapping.",
            "a ': ' inside an unquoted value, or a line indented deeper than the key above it: quote a value that contains ': ', and indent a line further only under a key that ends with ':'"),
        ("While parsing a block collection, did not find expected '-' indicator.",
            "this line does not line up with the list items before it: each item starts with '- ' in the same column"),
        ("Mapping values are not allowed in this context.",
            "a ': ' where no key can start: quote the value, or check this line's indentation"),
        ("While scanning a mapping, found invalid tab as indentation.",
            "a tab in the indentation: YAML indents with spaces only"),
    ];

    /// <summary>The meaning of <paramref name="parserMessage"/> followed by the parser's words, or those words alone.</summary>
    public static string Explain(string parserMessage)
    {
        foreach (var (parser, meaning) in Known)
        {
            if (string.Equals(parserMessage, parser, StringComparison.Ordinal))
            {
                return $"{meaning} (the YAML parser: {parser})";
            }
        }
        return parserMessage;
    }
}
