namespace Truto.Mappings.OAuth;

/// <summary>
/// Where an account's OAuth tokens live in its context (Truto's shape). Accounts created with only
/// an access token keep working until it expires.
/// </summary>
public static class OAuthContextKeys
{
    /// <summary>The access token sent to the provider.</summary>
    public const string AccessToken = "oauth.token.access_token";

    /// <summary>The refresh token; kept when a token answer omits it, replaced when the provider rotates it.</summary>
    public const string RefreshToken = "oauth.token.refresh_token";

    /// <summary>When the access token expires: ISO-8601 UTC (<c>2026-12-01T10:00:00Z</c>), from the answer's <c>expires_in</c>.</summary>
    public const string ExpiresAt = "oauth.token.expires_at";

    /// <summary>The token type the provider answered (<c>bearer</c>).</summary>
    public const string TokenType = "oauth.token.token_type";

    /// <summary>The scopes the provider granted, as it wrote them.</summary>
    public const string Scope = "oauth.token.scope";
}
