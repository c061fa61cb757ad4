using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Outreach's <c>POST /oauth/token</c> (form-encoded, client id and secret in the body), a Doorkeeper
/// server: answers <c>{"access_token","token_type":"bearer","expires_in":7200,"refresh_token","scope","created_at"}</c>;
/// every refresh answers a new refresh token and revokes the old one. Refusals are Doorkeeper's:
/// 400 <c>{"error":"invalid_grant","error_description":"The provided authorization grant is invalid, …"}</c>,
/// 401 <c>{"error":"invalid_client",…}</c>.
/// </summary>
internal sealed class OutreachOAuthDialect : OAuthDialect
{
    private const string InvalidGrant = "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.";

    public override bool RotatesRefreshTokens => true;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(2);

    public override OAuthEndpoints Endpoints => new("https://api.outreach.io/oauth/authorize", "https://api.outreach.io/oauth/token", ["outreach.io"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope", "created_at"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"The provided authorization grant is invalid,""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant",""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = grant.Scope,
        ["created_at"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
    };

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(401, "invalid_client", "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method."),
        OAuthErrorKind.InvalidCode or OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", InvalidGrant),
        _ => Rfc6749Error(400, "unsupported_grant_type", "The authorization grant type is not supported by the authorization server."),
    };
}
