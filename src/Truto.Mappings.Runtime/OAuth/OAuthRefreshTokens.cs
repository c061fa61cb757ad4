namespace Truto.Mappings.OAuth;

/// <summary>What a provider's token endpoint does with refresh tokens (YAML <c>refresh_tokens</c>), as its documentation says.</summary>
public enum OAuthRefreshTokens
{
    /// <summary>One refresh token stays valid across refreshes; an answer that omits it keeps the old one.</summary>
    Kept,

    /// <summary>Every refresh answers a new refresh token, which replaces the old one (rotation).</summary>
    Rotated,

    /// <summary>No refresh token is issued: the access token lives until revoked and is never refreshed.</summary>
    None,
}
