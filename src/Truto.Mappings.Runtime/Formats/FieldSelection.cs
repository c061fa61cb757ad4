namespace Truto.Mappings.Formats;

/// <summary>Which unified fields a response carries: exclusions and the normalized "no nulls" rule.</summary>
public sealed class FieldSelection
{
    private readonly HashSet<string> _excluded;

    /// <summary>Creates a selection.</summary>
    /// <param name="excludedFields">Field names or dotted paths (<c>owner.id</c>) to drop.</param>
    /// <param name="omitNulls">True for the normalized format: null-valued fields are left out.</param>
    public FieldSelection(IEnumerable<string> excludedFields, bool omitNulls)
    {
        _excluded = new HashSet<string>(excludedFields.Where(f => f.Length > 0), StringComparer.Ordinal);
        OmitNulls = omitNulls;
    }

    /// <summary>Everything, nulls included (the unified format with no exclusions).</summary>
    public static FieldSelection All { get; } = new([], omitNulls: false);

    /// <summary>True in the normalized format.</summary>
    public bool OmitNulls { get; }

    /// <summary>True when the field or one of its parents is excluded.</summary>
    public bool Excludes(string dottedPath)
    {
        if (_excluded.Count == 0)
        {
            return false;
        }
        if (_excluded.Contains(dottedPath))
        {
            return true;
        }
        for (var dot = dottedPath.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = dottedPath.IndexOf('.', dot + 1))
        {
            if (_excluded.Contains(dottedPath[..dot]))
            {
                return true;
            }
        }
        return false;
    }
}
