using System.Security.Cryptography;
using System.Text;
using Medallion.Threading;
using Medallion.Threading.Postgres;
using Npgsql;
using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Cluster;

/// <summary>
/// OAuth refresh single flight across instances (<c>Store:Provider=postgresql</c>): a PostgreSQL
/// advisory lock per account (DistributedLock.Postgres, a session lock on a pooled connection of its
/// own), and the account's context read from the store once it is held, so the runtime's
/// <see cref="TokenRefresher"/> uses tokens another instance stored instead of asking the provider
/// again. SQLite has none: one process, whose in-process single flight is enough.
/// </summary>
public sealed class PostgresAccountRefreshLock : IAccountRefreshLock, IAsyncDisposable, IDisposable
{
    /// <summary>
    /// The first half of every account's lock key ("tokn" in ASCII): the two-integer advisory lock
    /// space, apart from the single-bigint keys of migrations and the key ring.
    /// </summary>
    public const int LockSpace = 0x746F6B6E;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ITrutoStore _store;
    private readonly bool _ownsDataSource;

    /// <summary>Locks in the database <paramref name="connectionString"/> names, on a pool of its own (tools, tests); contexts read through <paramref name="store"/> (decrypted).</summary>
    public PostgresAccountRefreshLock(string connectionString, ITrutoStore store)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _store = store;
        _ownsDataSource = true;
    }

    /// <summary>
    /// Locks on the server's one pool (<paramref name="dataSource"/>, shared and disposed by its
    /// owner): a refresh holds one of its connections for the token request, and reads the
    /// account through <paramref name="store"/> on another.
    /// </summary>
    public PostgresAccountRefreshLock(NpgsqlDataSource dataSource, ITrutoStore store)
    {
        _dataSource = dataSource ?? throw new ArgumentNullException(nameof(dataSource));
        _store = store;
    }

    /// <summary>
    /// The account's lock key: <see cref="LockSpace"/> and the first four bytes of the SHA-256 of its
    /// id. Two accounts sharing one only take turns refreshing; no account ever skips its lock.
    /// </summary>
    public static PostgresAdvisoryLockKey KeyOf(string accountId) => new(LockSpace, AccountHash(accountId));

    /// <summary>The second half of <see cref="KeyOf"/> (as <c>pg_locks.objid</c> shows it, unsigned).</summary>
    public static int AccountHash(string accountId)
        => BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(accountId ?? throw new ArgumentNullException(nameof(accountId)))), 0);

    /// <inheritdoc />
    public async Task<IAccountRefreshLease> AcquireAsync(string accountId, CancellationToken cancellationToken)
    {
        var handle = await new PostgresDistributedLock(KeyOf(accountId), _dataSource).AcquireAsync(cancellationToken: cancellationToken);
        try
        {
            var stored = await _store.FindAccountAsync(accountId, cancellationToken);
            return new Lease(handle, stored is null ? null : AccountContext.Parse(stored.Context));
        }
        catch
        {
            await handle.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsDataSource)
        {
            _dataSource.Dispose();
        }
    }

    private sealed class Lease(IDistributedSynchronizationHandle handle, AccountContext? stored) : IAccountRefreshLease
    {
        public AccountContext? StoredContext { get; } = stored;

        public ValueTask DisposeAsync() => handle.DisposeAsync();
    }
}
