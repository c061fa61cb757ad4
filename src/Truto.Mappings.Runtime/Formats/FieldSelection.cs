namespace Truto.Mappings.Formats;

/// <summary>Which unified fields a response carries: exclusions and the normalized "no nulls" rule.</summary>
public sealed class FieldSelection
{
    private readonly HashSet<string> _excluded;

    // Every path an exclusion lies under ("remote_data" and "remote_data.a" for "remote_data.a.b"):
    // JSON copied under any other path is copied whole, without looking inside it.
    private readonly HashSet<string> _parentsOfExcluded;

    /// <summary>Creates a selection.</summary>
    /// <param name="excludedFields">Field names or dotted paths (<c>owner.id</c>) to drop.</param>
    /// <param name="omitNulls">True for the normalized format: null-valued fields are left out.</param>
    public FieldSelection(IEnumerable<string> excludedFields, bool omitNulls)
    {
        _excluded = new HashSet<string>(excludedFields.Where(f => f.Length > 0), StringComparer.Ordinal);
        _parentsOfExcluded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in _excluded)
        {
            for (var dot = path.IndexOf('.', StringComparison.Ordinal); dot >= 0; dot = path.IndexOf('.', dot + 1))
            {
                _parentsOfExcluded.Add(path[..dot]);
            }
        }
        OmitNulls = omitNulls;
    }

    /// <summary>Everything, nulls included (the unified format with no exclusions).</summary>
    public static FieldSelection All { get; } = new([], omitNulls: false);

    /// <summary>True in the normalized format.</summary>
    public bool OmitNulls { get; }

    /// <summary>True when anything is excluded: only then do field paths need to be known.</summary>
    public bool ExcludesAny => _excluded.Count > 0;

    /// <summary>
    /// True when an exclusion names something under <paramref name="dottedPath"/> (<c>remote_data</c>
    /// for <c>remote_data.errors</c>): a value there cannot be copied whole.
    /// </summary>
    public bool ExcludesInside(string dottedPath) => _parentsOfExcluded.Contains(dottedPath);

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
