using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Exchanges an authorization code for an account's tokens at the provider's token endpoint: the
/// last step of connecting an OAuth account. Implemented by the runtime's token client, which also
/// refreshes tokens; the server's connect flow uses it.
/// </summary>
public interface IOAuthCodeExchange
{
    /// <summary>
    /// Sends the <c>authorization_code</c> grant and answers <paramref name="connectContext"/> (the
    /// values known when connecting: a data centre, a login server) with the tokens written in
    /// Truto's shape (<see cref="OAuthContextKeys"/>) and the provider's
    /// <see cref="OAuth2Info.TokenValues"/> copied in; or the error, as a Truto error whose message
    /// keeps the provider's (never a secret).
    /// </summary>
    Task<OAuthExchangeResult> ExchangeCodeAsync(
        ProviderAdapter provider,
        AccountContext connectContext,
        string code,
        string redirectUri,
        string? codeVerifier,
        CancellationToken cancellationToken);
}
