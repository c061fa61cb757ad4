namespace Truto.Mappings.Adapters;

// Shared source: the generator compiles this file too (where a batch mapping requires its ids),
// so the emitted coverage names a member of this very enum.

/// <summary>Where a unified request field is read from.</summary>
public enum FieldLocation
{
    /// <summary>The request body.</summary>
    Body,

    /// <summary>The query string.</summary>
    Query,

    /// <summary>The URL path.</summary>
    Path,
}
