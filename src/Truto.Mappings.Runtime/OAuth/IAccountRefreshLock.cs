namespace Truto.Mappings.OAuth;

/// <summary>
/// Optional: makes an account's token refresh single flight across processes, not only within one.
/// <see cref="TokenRefresher"/> already sends one token request per account at a time in a process;
/// when several processes share the accounts (the server on PostgreSQL) each would otherwise send its
/// own, and with rotating refresh tokens all but the first are refused. With a lock registered the
/// refresher takes it, reads the stored context, and uses tokens another process stored meanwhile
/// instead of asking the provider again. Without one (SQLite, one process; a library user) the
/// per-process single flight is all there is, and all that is needed.
/// </summary>
public interface IAccountRefreshLock
{
    /// <summary>
    /// Waits for the account's refresh lock (held by at most one process at a time) and, holding it,
    /// reads the account's stored context. Dispose the lease to release the lock.
    /// </summary>
    Task<IAccountRefreshLease> AcquireAsync(string accountId, CancellationToken cancellationToken);
}
