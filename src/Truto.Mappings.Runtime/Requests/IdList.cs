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
    /// (<c>DELETE /contact/../</c>) instead of naming a contact; with the operation's
    /// <paramref name="info"/>, also an id holding the separator its batch call joins ids with
    /// (Salesforce's <c>"003A,003B"</c> would go out as two ids), one that is not a JSON number where
    /// the request sends ids as numbers, or one not matching its id pattern.
    /// </summary>
    public static string? Problem(string id, Adapters.OperationInfo? info = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (ControlCharacters.In(id))
        {
            return "contains control characters";
        }
        if (id is "." or "..")
        {
            return $"'{id}' is a path segment, not an id";
        }
        if (info?.IdSeparator is { Length: > 0 } separator && id.Contains(separator, StringComparison.Ordinal))
        {
            return $"contains '{separator}', which separates ids in one provider call: it would be sent as several ids";
        }
        if (info?.NumericIds == true && !Json.JsonNumberText.IsNumber(id))
        {
            return "is not a number (JSON's number grammar: 102, not 007 or 1,000), which this provider's request sends it as";
        }
        if (info?.IdPattern is not { } pattern)
        {
            return null;
        }
        try
        {
            return MatchesWhole(pattern, id) ? null : $"does not have the form of this provider's ids ({pattern})";
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            // The timeout guards against a pattern that backtracks without end; whatever tripped it
            // (such a pattern, or a starved CPU), this id was not checked, so it is not sent — and
            // the other ids of a batch still are, instead of the whole request failing with a 500.
            return $"could not be checked against this provider's id pattern ({pattern}) within its match timeout";
        }
    }

    /// <summary>The 400 that refuses an id with a <see cref="Problem"/>, or null when it may be sent.</summary>
    public static Errors.TrutoError? Refusal(string id, Adapters.OperationInfo? info = null)
        => Problem(id, info) is { } problem ? Errors.TrutoError.BadRequest("id", $"The contact id {problem}; it was not sent to the provider.") : null;

    /// <summary>
    /// The refusal of an id for <paramref name="operation"/>: its own id rules and, for a fan-out,
    /// those of the single-id operation each id goes through. Both executors use this one path.
    /// </summary>
    public static Errors.TrutoError? Refusal(string id, Adapters.ProviderOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return Refusal(id, operation.Info) ?? (operation is Adapters.FanOutOperation fanOut ? Refusal(id, fanOut.PerId.Info) : null);
    }

    /// <summary>The id pattern must cover the id whole, anchored in the YAML or not.</summary>
    private static bool MatchesWhole(System.Text.RegularExpressions.Regex pattern, string id)
    {
        var match = pattern.Match(id);
        return match.Success && match.Index == 0 && match.Length == id.Length;
    }
}
