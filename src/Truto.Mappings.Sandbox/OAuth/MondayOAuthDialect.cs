using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// monday's classic <c>POST https://auth.monday.com/oauth2/token</c> (form-encoded, client id and
/// secret in the body): answers <c>{"access_token","token_type":"Bearer","scope"}</c> with neither
/// <c>expires_in</c> nor a refresh token (the token lasts until the app is uninstalled), so there is
/// no refresh grant. Refusals are 400 <c>{"error":…,"error_description":…}</c>.
/// </summary>
internal sealed class MondayOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override bool IssuesRefreshTokens => false;

    // "Never": ten years, so the simulator's expiry arithmetic stays in range.
    public override TimeSpan AccessTokenLifetime => TimeSpan.FromDays(3650);

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "Bearer",
        ["scope"] = grant.Scope,
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Invalid client_id or client_secret"),
        OAuthErrorKind.InvalidCode or OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "The provided authorization grant is invalid or expired"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "Only the authorization_code grant is supported"),
    };
}
