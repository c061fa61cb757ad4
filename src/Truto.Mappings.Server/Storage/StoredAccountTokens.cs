using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The runtime's <see cref="IAccountTokenStore"/> over the server's store (encrypted at rest by
/// <see cref="EncryptingStore"/>): refreshed tokens are written to the account before the runtime
/// uses them, and a refused refresh token marks the account <see cref="StoredAccount.NeedsReauthStatus"/>.
/// </summary>
public sealed class StoredAccountTokens(ITrutoStore store) : IAccountTokenStore
{
    /// <inheritdoc />
    public async Task SaveTokensAsync(string accountId, AccountContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The refreshed context replaces the whole stored one: it was built from it, every other key kept.
        if (await store.FindAccountAsync(accountId, cancellationToken) is { } account)
        {
            await store.UpdateAccountAsync(account with { Context = context.Root.GetRawText(), Status = StoredAccount.ActiveStatus, StatusMessage = null, StatusAt = null }, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task MarkNeedsReauthAsync(string accountId, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await store.FindAccountAsync(accountId, cancellationToken) is { } account)
        {
            await store.UpdateAccountAsync(account with { Status = StoredAccount.NeedsReauthStatus, StatusMessage = message, StatusAt = at }, cancellationToken);
        }
    }
}
