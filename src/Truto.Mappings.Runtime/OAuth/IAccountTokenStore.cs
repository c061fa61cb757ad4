using Truto.Mappings.Accounts;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Where refreshed tokens are kept. The runtime writes an account's new context here before it
/// sends a single call with the new access token, so a crash never loses a rotated refresh token;
/// and marks an account whose refresh token the provider refused. The server implements it over its
/// encrypted store. Without one (a library user who registered none) refreshed tokens are used in
/// memory and handed back in <see cref="Client.UnifiedResult.RefreshedContext"/>: the caller must
/// store that context itself, or the next call starts from the old tokens.
/// </summary>
public interface IAccountTokenStore
{
    /// <summary>Replaces the account's context with <paramref name="context"/> (new tokens, every other key kept) and makes it active again.</summary>
    Task SaveTokensAsync(string accountId, AccountContext context, CancellationToken cancellationToken);

    /// <summary>Marks the account <c>needs_reauth</c>: the provider refused its refresh token; <paramref name="message"/> is the provider's reason (never a secret).</summary>
    Task MarkNeedsReauthAsync(string accountId, string message, DateTimeOffset at, CancellationToken cancellationToken);
}
