using Truto.Mappings.Accounts;
using Truto.Mappings.Errors;

namespace Truto.Mappings.OAuth;

/// <summary>What a token request came to: the account's new context, or the error.</summary>
/// <param name="Context">The context with the new tokens written in (Truto's shape), when the provider issued them.</param>
/// <param name="Error">Why not: a 401 when the provider refused the grant, a 502/504 when it failed or did not answer.</param>
/// <param name="Rejected">
/// True when the provider refused the grant itself (<c>invalid_grant</c>, or a 400/401 from the token
/// endpoint): asking again with the same refresh token cannot help, the account must be reconnected.
/// </param>
internal sealed record OAuthTokenOutcome(AccountContext? Context, TrutoError? Error, bool Rejected)
{
    /// <summary>The provider's own reason for a refusal (<c>invalid_grant: token revoked</c>), as an account's status message keeps it.</summary>
    public string? ProviderReason { get; init; }

    public static OAuthTokenOutcome Issued(AccountContext context) => new(context, null, false);

    public static OAuthTokenOutcome Failed(TrutoError error) => new(null, error, false);

    public static OAuthTokenOutcome Refused(TrutoError error, string reason) => new(null, error, true) { ProviderReason = reason };
}
