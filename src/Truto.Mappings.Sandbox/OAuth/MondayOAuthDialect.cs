using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// monday's OAuth 2.1 <c>POST https://auth.monday.com/oauth_ms/oauth/token</c> (form-encoded, client
/// id and secret in the body, PKCE verified; developer.monday.com/apps/docs/oauth-2-1): answers
/// <c>{"access_token","token_type":"Bearer","expires_in","refresh_token","scope"}</c>, and a refresh
/// answers a new refresh token ("token rotation is handled by the platform", monday's OAuth 2.1
/// announcement). Refusals are 400 <c>{"error":…,"error_description":…}</c> (RFC 6749 §5.2).
/// Unverified: the access token lifetime (the pages reachable here give no number; the simulator
/// uses one hour and the runtime reads <c>expires_in</c>) and the exact error wording.
/// </summary>
internal sealed class MondayOAuthDialect : OAuthDialect
{
    public override bool UsesPkce => true;

    public override bool RotatesRefreshTokens => true;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(1);

    public override OAuthEndpoints Endpoints => new("https://auth.monday.com/oauth2/authorize", "https://auth.monday.com/oauth_ms/oauth/token", ["monday.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant",""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant",""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = grant.Scope,
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Invalid client_id or client_secret"),
        OAuthErrorKind.InvalidCode or OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "The provided authorization grant is invalid or expired"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "The grant type is not supported"),
    };
}
