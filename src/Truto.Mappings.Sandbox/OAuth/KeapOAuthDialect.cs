using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Keap's <c>POST https://api.infusionsoft.com/token</c> (form-encoded, client id and secret in the
/// body): answers <c>{"access_token","token_type":"bearer","expires_in":86400,"refresh_token","scope":"full|{app}.infusionsoft.com"}</c>;
/// access tokens live 24 hours and every refresh answers a new refresh token (the old one stops
/// working). Refusals are RFC 6749's <c>{"error":"invalid_grant","error_description":…}</c> (wording unverified).
/// </summary>
internal sealed class KeapOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => true;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(24);

    public override OAuthEndpoints Endpoints => new("https://accounts.infusionsoft.com/app/oauth/authorize", "https://api.infusionsoft.com/token", ["infusionsoft.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"Invalid authorization code"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"Invalid refresh token"}""");

    // Keap appends the app the user chose to the granted scope.
    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = (grant.Scope.Length > 0 ? grant.Scope : "full") + "|sandbox.infusionsoft.com",
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Invalid client credentials"),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "Invalid authorization code"),
        OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "Invalid refresh token"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "Unsupported grant type"),
    };
}
