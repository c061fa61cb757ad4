using Truto.Mappings.Errors;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Endpoints;

/// <summary>
/// Finds an account by id as a caller may see it. An account of another environment or, for a
/// tenant-limited token, another tenant is answered exactly as an unknown id is (same status,
/// same body): a 403 would confirm that it exists.
/// </summary>
public static class VisibleAccounts
{
    /// <summary>The account when it exists and <paramref name="caller"/> may see it; null otherwise.</summary>
    public static async Task<StoredAccount?> FindAsync(ITrutoStore store, ApiCaller caller, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(caller);
        return await store.FindAccountAsync(id, cancellationToken) is { } account && caller.CanSee(account) ? account : null;
    }

    /// <summary>The one answer for an id the caller cannot use, whether it is unknown or not theirs.</summary>
    public static TrutoError NotFound(string id) => new(404, $"No integrated account with id '{id}'.");
}
