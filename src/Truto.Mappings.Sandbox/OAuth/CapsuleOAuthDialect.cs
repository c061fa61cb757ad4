using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Capsule's <c>POST /oauth/token</c> (form-encoded, client id and secret in the body): answers
/// <c>{"access_token","token_type":"bearer","expires_in":604799,"refresh_token","scope":"read write","subdomain"}</c>;
/// access tokens live 7 days and a refresh answers the same refresh token. Refusals are 400
/// <c>{"error":"invalid_grant","error_description":…}</c> (RFC 6749 §5.2).
/// </summary>
internal sealed class CapsuleOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1);

    public override OAuthEndpoints Endpoints => new("https://api.capsulecrm.com/oauth/authorise", "https://api.capsulecrm.com/oauth/token", ["capsulecrm.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope", "subdomain"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant",""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant",""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = grant.Scope,
        ["subdomain"] = "sandbox",
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Client authentication failed"),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "The authorization code is invalid or has expired"),
        OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "The refresh token is invalid or has been revoked"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "The grant type is not supported"),
    };
}
