using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The runtime's <see cref="IAccountTokenStore"/> over the server's store (encrypted at rest by
/// <see cref="EncryptingStore"/>): refreshed tokens are merged into the account before the runtime
/// uses them, and a refused refresh token marks the account <see cref="StoredAccount.NeedsReauthStatus"/>.
/// Each is one read-modify-write transaction (<see cref="ITrutoStore.ChangeAccountAsync"/>), so an
/// operator's <c>PATCH</c> that lands during a refresh is kept, and the refresh's rotated refresh
/// token is not lost to a PATCH that read the account before it.
/// </summary>
public sealed class StoredAccountTokens(ITrutoStore store) : IAccountTokenStore
{
    /// <inheritdoc />
    public async Task<AccountContext?> SaveTokensAsync(string accountId, OAuthTokenUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        var saved = await store.ChangeAccountAsync(accountId, account =>
        {
            var current = AccountContext.Parse(account.Context);
            // Newer tokens (a PATCH, a reconnect) replaced the ones refreshed: they stay, and are used.
            return update.AppliesTo(current)
                ? account with { Context = update.MergeInto(current).Root.GetRawText(), Status = StoredAccount.ActiveStatus, StatusMessage = null, StatusAt = null }
                : null;
        }, cancellationToken);
        return saved is null ? null : AccountContext.Parse(saved.Context);
    }

    /// <inheritdoc />
    public async Task MarkNeedsReauthAsync(string accountId, AccountContext refused, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        await store.ChangeAccountAsync(accountId, account =>
            AccountContext.Parse(account.Context).Find(OAuthContextKeys.RefreshToken) == refused.Find(OAuthContextKeys.RefreshToken)
                ? account with { Status = StoredAccount.NeedsReauthStatus, StatusMessage = message, StatusAt = at }
                : null,
            cancellationToken);
    }
}
