namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The store every request uses: account reads (decrypted) and token checks come from
/// <see cref="StoreCache"/> when it holds them, and every change made through this process drops the
/// copies it touches before it returns, then is announced to other instances
/// (<see cref="IStoreChangePublisher"/>). What must be fresh reads <see cref="EncryptingStore"/>
/// itself: the OAuth refresh under its lock.
/// </summary>
public sealed partial class CachingStore(ITrutoStore inner, StoreCache cache, IStoreChangePublisher? publisher, ILogger<CachingStore> logger) : ITrutoStore
{
    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);
    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken) => inner.AddTokenAsync(token, cancellationToken);

    public async Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken)
    {
        if (cache.TryGetToken(hash, out var kept))
        {
            return kept;
        }
        var generation = cache.Generation;
        // Unknown tokens are not kept: one created by an admin command elsewhere works from its first use.
        if (await inner.FindTokenByHashAsync(hash, cancellationToken) is not { } token)
        {
            return null;
        }
        cache.KeepToken(token, generation);
        return token;
    }

    public Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) => inner.ListTokensAsync(cancellationToken);

    public async Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var revoked = await inner.RevokeTokenAsync(id, at, cancellationToken);
        cache.ForgetTokens();
        await PublishAsync(StoreChangeKind.Tokens, null);
        return revoked;
    }

    public Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken) => inner.AddAccountAsync(account, cancellationToken);

    public async Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
    {
        if (cache.TryGetAccount(id, out var kept))
        {
            return kept;
        }
        var generation = cache.Generation;
        // Unknown ids are not kept either: an account created on another instance is found at once.
        if (await inner.FindAccountAsync(id, cancellationToken) is not { } account)
        {
            return null;
        }
        cache.KeepAccount(account, generation);
        return account;
    }

    public Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken)
        => inner.ListAccountsAsync(environment, tenantId, cancellationToken);

    public async Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        try
        {
            return await inner.UpdateAccountAsync(account, cancellationToken);
        }
        finally
        {
            await ForgetAccountAsync(account.Id);
        }
    }

    public async Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.ChangeAccountAsync(id, change, cancellationToken);
        }
        finally
        {
            await ForgetAccountAsync(id);
        }
    }

    public async Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.DeleteAccountAsync(id, cancellationToken);
        }
        finally
        {
            await ForgetAccountAsync(id);
        }
    }

    public Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken)
        => inner.ClaimAnswerAsync(claim, answersSince, claimsSince, cancellationToken);

    public Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
        => inner.SaveAnswerAsync(claim, answer, expiredBefore, cancellationToken);

    public Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(claim, cancellationToken);

    public Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
        => inner.AddConnectStateAsync(state, expiredBefore, cancellationToken);

    public Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken)
        => inner.TakeConnectStateAsync(hash, cancellationToken);

    // Forgotten even when the write failed or was cancelled: it may have landed all the same.
    private async Task ForgetAccountAsync(string id)
    {
        cache.ForgetAccount(id);
        await PublishAsync(StoreChangeKind.Account, id);
    }

    private async Task PublishAsync(StoreChangeKind kind, string? accountId)
    {
        if (publisher is null)
        {
            return;
        }
        try
        {
            // Not the request's token: a change that landed is announced even if its caller left.
            await publisher.PublishAsync(kind, accountId, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPublishFailed(logger, kind, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "A {Kind} change could not be announced to other instances ({Error}); their copies expire within Cache:AccountTtl / Cache:TokenTtl.")]
    private static partial void LogPublishFailed(ILogger logger, StoreChangeKind kind, string error);
}
