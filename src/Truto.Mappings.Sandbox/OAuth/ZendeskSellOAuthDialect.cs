using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Zendesk Sell's <c>POST https://api.getbase.com/oauth2/token</c> (form-encoded, client id and
/// secret as HTTP Basic): answers <c>{"access_token","token_type":"bearer","expires_in":3599,"refresh_token","scope"}</c>;
/// every refresh answers a new refresh token and the old one stops working. Refusals are 400
/// <c>{"error":"invalid_grant","error_description":…}</c>, 401 <c>{"error":"invalid_client",…}</c>.
/// </summary>
internal sealed class ZendeskSellOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => true;

    public override bool ClientAuthenticationIsBasic => true;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromSeconds(3599);

    public override OAuthEndpoints Endpoints => new("https://api.getbase.com/oauth2/authorize", "https://api.getbase.com/oauth2/token", ["getbase.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"Invalid authorization code"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"Invalid refresh token"}""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = grant.Scope,
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Client authentication failed."),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "Invalid authorization code"),
        OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "Invalid refresh token"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "Unsupported grant type"),
    };
}
