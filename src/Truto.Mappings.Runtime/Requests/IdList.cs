namespace Truto.Mappings.Requests;

/// <summary>
/// The ids of a batch-delete request. Ids may arrive in the body and in the query; the API
/// accepts both for every provider and merges them: body first, then query, duplicates removed,
/// first occurrence kept.
/// </summary>
public static class IdList
{
    /// <summary>Merges body ids and query ids in order, dropping duplicates and blanks.</summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> bodyIds, IEnumerable<string> queryIds)
    {
        ArgumentNullException.ThrowIfNull(bodyIds);
        ArgumentNullException.ThrowIfNull(queryIds);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var merged = new List<string>();
        foreach (var id in bodyIds.Concat(queryIds))
        {
            if (!string.IsNullOrWhiteSpace(id) && seen.Add(id))
            {
                merged.Add(id);
            }
        }
        return merged;
    }
}
