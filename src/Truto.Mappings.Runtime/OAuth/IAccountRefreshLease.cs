using Truto.Mappings.Accounts;

namespace Truto.Mappings.OAuth;

/// <summary>An account's refresh lock, held until disposed, and the context stored when it was taken.</summary>
public interface IAccountRefreshLease : IAsyncDisposable
{
    /// <summary>The account's stored context read under the lock (null when the account is gone).</summary>
    AccountContext? StoredContext { get; }
}
