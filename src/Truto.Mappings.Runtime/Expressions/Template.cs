namespace Truto.Mappings.Expressions;

/// <summary>What a placeholder reads.</summary>
internal enum PlaceholderSource
{
    /// <summary><c>{{id}}</c>: the id being deleted.</summary>
    Id,

    /// <summary><c>{{ids}}</c>: every id of a batch request (a list).</summary>
    Ids,

    /// <summary><c>{{context.a.b}}</c>: a value from the integrated account's context.</summary>
    Context,
}

/// <summary>
/// A <c>{{…}}</c> placeholder: its source, the context key path for <see cref="PlaceholderSource.Context"/>,
/// an optional <c>| join('sep')</c>, and its offset in the template text (for diagnostics).
/// </summary>
internal sealed record Placeholder(PlaceholderSource Source, string ContextKey, string? JoinSeparator, int Offset)
{
    /// <summary>True when the placeholder yields a list rather than one string.</summary>
    public bool IsList => Source == PlaceholderSource.Ids && JoinSeparator is null;
}

/// <summary>One part of a template: literal text or a placeholder (exactly one is set).</summary>
internal sealed record TemplatePart(string? Literal, Placeholder? Placeholder);

/// <summary>
/// A parsed string template such as <c>/sobjects/Contact/{{id}}</c> or
/// <c>Zoho-oauthtoken {{context.oauth.token.access_token}}</c>.
/// </summary>
internal sealed record Template(EquatableArray<TemplatePart> Parts, string Text)
{
    /// <summary>True when the template is exactly one placeholder and nothing else.</summary>
    public bool IsSinglePlaceholder => Parts.Count == 1 && Parts[0].Placeholder is not null;

    /// <summary>True when the template has no placeholder.</summary>
    public bool IsLiteral => Parts.Count == 0 || (Parts.Count == 1 && Parts[0].Literal is not null);

    /// <inheritdoc />
    public override string ToString() => Text;
}
