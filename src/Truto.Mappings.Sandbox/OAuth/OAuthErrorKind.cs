namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>The token endpoint's refusals, each answered in the provider's own words (<see cref="OAuthDialect.Refusal"/>).</summary>
public enum OAuthErrorKind
{
    /// <summary>Unknown client id or wrong secret.</summary>
    InvalidClient,

    /// <summary>Unknown or used code, another redirect URI, or a PKCE verifier that does not match.</summary>
    InvalidCode,

    /// <summary>Unknown or revoked (rotated away) refresh token.</summary>
    InvalidRefreshToken,

    /// <summary>A grant type the provider does not support.</summary>
    UnsupportedGrant,
}
