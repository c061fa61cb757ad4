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
    /// <summary>
    /// With <c>{{context.a ?? context.b}}</c>: the keys after <see cref="ContextKey"/>, tried in order
    /// when the ones before are absent from the account's context (absent, null or empty text).
    /// </summary>
    public EquatableArray<FallbackKey> Fallbacks { get; init; } = [];

    /// <summary>
    /// With <c>{{context.a ?? 'text'}}</c>: the quoted constant used when no key is present, or null
    /// (then an account holding none of the keys cannot be called: a 400 naming them all).
    /// </summary>
    public string? Default { get; init; }

    /// <summary>Where <see cref="Default"/>'s opening quote is in the template text.</summary>
    public int DefaultOffset { get; init; }

    /// <summary>
    /// With <c>| number</c>: the value is written as a JSON number (RFC 8259 grammar, the text kept
    /// as it is) instead of a string; <c>{{ids | number}}</c> is an array of numbers. Only a whole
    /// value of a JSON body can be one.
    /// </summary>
    public bool AsNumber { get; init; }

    /// <summary>Where the filter (<c>number</c> or <c>join</c>) begins in the template text; 0 without one.</summary>
    public int FilterOffset { get; init; }

    /// <summary>True when the placeholder yields a list rather than one value.</summary>
    public bool IsList => Source == PlaceholderSource.Ids && JoinSeparator is null;

    /// <summary>True when an account lacking <see cref="ContextKey"/> may still be served (by a fallback key or the default).</summary>
    public bool HasFallback => Fallbacks.Count > 0 || Default is not null;

    /// <summary>Every context key read, in the order tried, each with where it stands (the first at the placeholder).</summary>
    public EquatableArray<FallbackKey> ContextKeys
        => Source == PlaceholderSource.Context ? new EquatableArray<FallbackKey>(System.Linq.Enumerable.Prepend(Fallbacks, new FallbackKey(ContextKey, Offset))) : [];
}

/// <summary>A context key named in a placeholder (after <c>??</c>), and where its name begins in the template text.</summary>
internal sealed record FallbackKey(string Key, int Offset);

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
