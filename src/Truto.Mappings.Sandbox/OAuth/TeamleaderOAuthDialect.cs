using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Teamleader Focus's <c>POST https://focus.teamleader.eu/oauth2/access_token</c> (form-encoded,
/// client id and secret in the body): answers <c>{"token_type":"Bearer","expires_in":3600,"access_token","refresh_token"}</c>;
/// every refresh answers a new refresh token and the old one stops working. Refusals are assumed
/// to be RFC 6749's <c>{"error":"invalid_grant",…}</c> (unverified wording).
/// </summary>
internal sealed class TeamleaderOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => true;

    // "usually 1 hour", expires_in 3600 in Teamleader's API Blueprint (the runtime reads expires_in).
    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(1);

    public override OAuthEndpoints Endpoints => new("https://focus.teamleader.eu/oauth2/authorize", "https://focus.teamleader.eu/oauth2/access_token", ["teamleader.eu"]);

    // Teamleader integrations choose their scopes on the Marketplace (developer.focus.teamleader.eu/docs/authentication).
    public override bool ScopesChosenOnTheApp => true;

    public override IReadOnlyList<string> TokenAnswerMembers => ["token_type", "expires_in", "access_token", "refresh_token"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"Authorization code is invalid"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"Refresh token is invalid"}""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["token_type"] = "Bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["access_token"] = grant.AccessToken,
        ["refresh_token"] = grant.RefreshToken,
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Client authentication failed"),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "Authorization code is invalid"),
        OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "Refresh token is invalid"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."),
    };
}
