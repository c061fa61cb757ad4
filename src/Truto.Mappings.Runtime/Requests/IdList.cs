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

    /// <summary>
    /// Why an id must not be sent to a provider, or null when it may: control characters, and the
    /// path segments <c>.</c> and <c>..</c>, which would change the provider path the id goes into
    /// (<c>DELETE /contact/../</c>) instead of naming a contact.
    /// </summary>
    public static string? Problem(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.AsSpan().ContainsAnyInRange('\u0000', '\u001F') || id.Contains('\u007F', StringComparison.Ordinal))
        {
            return "contains control characters";
        }
        return id is "." or ".." ? $"'{id}' is a path segment, not an id" : null;
    }

    /// <summary>The 400 that refuses an id with a <see cref="Problem"/>, or null when it may be sent.</summary>
    public static Errors.TrutoError? Refusal(string id)
        => Problem(id) is { } problem ? Errors.TrutoError.BadRequest("id", $"The contact id {problem}; it was not sent to the provider.") : null;
}
