using Truto.Mappings.Accounts;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Where refreshed tokens are kept. The runtime writes an account's new tokens here before it
/// sends a single call with the new access token, so a crash never loses a rotated refresh token;
/// and marks an account whose refresh token the provider refused. The server implements it over its
/// encrypted store. Without one (a library user who registered none) refreshed tokens are used in
/// memory and handed back in <see cref="Client.UnifiedResult.RefreshedContext"/>: the caller must
/// store that context itself, or the next call starts from the old tokens.
/// </summary>
/// <remarks>
/// Both methods read and write the account in one transaction: a refresh and an operator's
/// <c>PATCH</c> of the same account may run at the same time, and neither may undo the other.
/// </remarks>
public interface IAccountTokenStore
{
    /// <summary>
    /// Merges <paramref name="update"/> into the account's current context when it applies
    /// (<see cref="OAuthTokenUpdate.AppliesTo"/>; every other key stays as stored) and makes the
    /// account active again; leaves the account as it is when newer tokens replaced the ones the
    /// refresh started from. Answers the context the account holds afterwards — the one to call the
    /// provider with — or null when the account no longer exists.
    /// </summary>
    Task<AccountContext?> SaveTokensAsync(string accountId, OAuthTokenUpdate update, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the account <c>needs_reauth</c> because the provider refused the refresh token of
    /// <paramref name="refused"/> — unless the stored refresh token is another one by now (a PATCH,
    /// a reconnect, or a refresh elsewhere replaced it), which the refusal says nothing about.
    /// <paramref name="message"/> is the provider's reason (never a secret).
    /// </summary>
    Task MarkNeedsReauthAsync(string accountId, AccountContext refused, string message, DateTimeOffset at, CancellationToken cancellationToken);
}
