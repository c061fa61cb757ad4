namespace Truto.Mappings.Server.Storage;

/// <summary>Wraps a store so account contexts are encrypted on the way in and decrypted on the way out.</summary>
public sealed class EncryptingStore(ITrutoStore inner, ContextProtector protector) : ITrutoStore
{
    public Task MigrateAsync(CancellationToken cancellationToken) => inner.MigrateAsync(cancellationToken);

    public Task PingAsync(CancellationToken cancellationToken) => inner.PingAsync(cancellationToken);

    public Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken) => inner.AddTokenAsync(token, cancellationToken);

    public Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken) => inner.FindTokenByHashAsync(hash, cancellationToken);

    public Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken) => inner.ListTokensAsync(cancellationToken);

    public Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => inner.RevokeTokenAsync(id, at, cancellationToken);

    public Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken)
        => inner.AddAccountAsync(Encrypt(account), cancellationToken);

    public async Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken)
        => await inner.FindAccountAsync(id, cancellationToken) is { } account ? Decrypt(account) : null;

    public async Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken)
        => (await inner.ListAccountsAsync(environment, tenantId, cancellationToken)).Select(Decrypt).ToList();

    public Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken)
        => inner.UpdateAccountAsync(Encrypt(account), cancellationToken);

    public async Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        // The change sees and makes plain contexts; only ciphertext reaches the inner store.
        return await inner.ChangeAccountAsync(id, stored => change(Decrypt(stored)) is { } changed ? Encrypt(changed) : null, cancellationToken) is { } account
            ? Decrypt(account)
            : null;
    }

    public Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken) => inner.DeleteAccountAsync(id, cancellationToken);

    public Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken)
        => inner.ClaimAnswerAsync(claim, answersSince, claimsSince, cancellationToken);

    public Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
        => inner.SaveAnswerAsync(claim, answer, expiredBefore, cancellationToken);

    public Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken) => inner.ReleaseClaimAsync(claim, cancellationToken);

    public Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken)
        => inner.AddConnectStateAsync(state with { Payload = protector.Protect(state.Payload) }, expiredBefore, cancellationToken);

    public async Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken)
        => await inner.TakeConnectStateAsync(hash, cancellationToken) is { } state ? state with { Payload = protector.Unprotect(state.Payload) } : null;

    /// <summary>How many accounts are stored, without decrypting them (the key ring check runs before any key may be created).</summary>
    public async Task<int> CountStoredContextsAsync(CancellationToken cancellationToken)
        => (await inner.ListAccountsAsync(null, null, cancellationToken)).Count;

    /// <summary>Decrypts every stored context once and forgets it: a <see cref="System.Security.Cryptography.CryptographicException"/> means the key ring cannot read them.</summary>
    public async Task DecryptAllContextsAsync(CancellationToken cancellationToken)
    {
        foreach (var account in await inner.ListAccountsAsync(null, null, cancellationToken))
        {
            protector.Unprotect(account.Context);
        }
    }

    private StoredAccount Encrypt(StoredAccount account) => account with { Context = protector.Protect(account.Context) };

    private StoredAccount Decrypt(StoredAccount account) => account with { Context = protector.Unprotect(account.Context) };
}
