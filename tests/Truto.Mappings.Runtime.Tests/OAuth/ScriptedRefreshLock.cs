using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Runtime.Tests.OAuth;

/// <summary>
/// An <see cref="IAccountRefreshLock"/> standing in for another process: its lease carries the
/// context "stored" when the lock was taken (or the lock fails); counts takes and releases.
/// </summary>
internal sealed class ScriptedRefreshLock(AccountContext? stored, Exception? failure = null) : IAccountRefreshLock
{
    private int _taken;
    private int _released;

    public int Taken => _taken;

    public int Released => _released;

    /// <summary>The number of token requests the provider had seen when the lock was released (-1: not released).</summary>
    public Func<int>? TokenRequestsNow { get; init; }

    public int TokenRequestsAtRelease { get; private set; } = -1;

    public Task<IAccountRefreshLease> AcquireAsync(string accountId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _taken);
        if (failure is not null)
        {
            throw failure;
        }
        return Task.FromResult<IAccountRefreshLease>(new Lease(this, stored));
    }

    private sealed class Lease(ScriptedRefreshLock owner, AccountContext? stored) : IAccountRefreshLease
    {
        public AccountContext? StoredContext { get; } = stored;

        public ValueTask DisposeAsync()
        {
            owner.TokenRequestsAtRelease = owner.TokenRequestsNow?.Invoke() ?? -1;
            Interlocked.Increment(ref owner._released);
            return ValueTask.CompletedTask;
        }
    }
}
