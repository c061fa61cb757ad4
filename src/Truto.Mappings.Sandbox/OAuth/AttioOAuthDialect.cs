using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Attio's <c>POST /oauth/token</c> (form-encoded, client id and secret in the body): answers only
/// <c>{"access_token","token_type":"Bearer"}</c>: no <c>expires_in</c> and no refresh token, because
/// Attio's tokens live until revoked. Refusals are RFC 6749 §5.2 bodies (their exact wording is unverified).
/// </summary>
internal sealed class AttioOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override bool IssuesRefreshTokens => false;

    // Tokens do not expire; the simulator still needs a lifetime to check against, so a long one.
    public override TimeSpan AccessTokenLifetime => TimeSpan.FromDays(3650);

    public override OAuthEndpoints Endpoints => new("https://app.attio.com/authorize", "https://app.attio.com/oauth/token", ["attio.com"]);

    // Attio apps choose their scopes in the app's settings (docs.attio.com/rest-api/how-to/authentication).
    public override bool ScopesChosenOnTheApp => true;

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"The authorization code is invalid or has expired"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => null;

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "Bearer",
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Client authentication failed"),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "The authorization code is invalid or has expired"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "The grant type is not supported"),
    };
}
