namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// Sizes a mapping file may not exceed (TM0013, TM0015). Real files stay far below them; they
/// exist so that no file can overflow the compiler's stack, take minutes to compile, or produce
/// code Roslyn rejects (CS8078). Documented in mappings/README.md; keep the two in step.
/// </summary>
internal static class Limits
{
    /// <summary>Mappings and lists inside each other (flow or block).</summary>
    public const int MaxDepth = 64;

    /// <summary>Entries of one mapping or items of one list.</summary>
    public const int MaxItems = 256;

    /// <summary>Characters of one path expression.</summary>
    public const int MaxPathLength = 1_000;

    /// <summary>Steps of one path expression (each becomes one nested call in generated code).</summary>
    public const int MaxPathSegments = 32;

    /// <summary>Characters of one template.</summary>
    public const int MaxTemplateLength = 4_000;

    /// <summary>Characters of the rate-limit regular expression (parsed by the generator, which runs inside the compiler).</summary>
    public const int MaxPatternLength = 1_000;

    /// <summary>Transforms applied to one value (each becomes one nested call).</summary>
    public const int MaxTransforms = 8;

    /// <summary>first_of lists inside first_of lists.</summary>
    public const int MaxFirstOfDepth = 8;
}
