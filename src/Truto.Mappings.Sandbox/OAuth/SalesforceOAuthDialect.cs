using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Salesforce's <c>POST /services/oauth2/token</c> (form-encoded, client id and secret in the body,
/// PKCE verified): answers <c>{"access_token","refresh_token","signature","scope","instance_url","id","token_type":"Bearer","issued_at"}</c>
/// with no <c>expires_in</c> (the session timeout decides, 2 hours by default); a refresh answers no
/// refresh token (rotation is an opt-in of the connected app, off here). Refusals are 400
/// <c>{"error":"invalid_grant","error_description":"authentication failure"}</c> for a bad or used code
/// (or a verifier that does not match), <c>"expired access/refresh token"</c> for a bad refresh token.
/// The token answer's <c>instance_url</c> is the simulator's origin.
/// </summary>
internal sealed class SalesforceOAuthDialect : OAuthDialect
{
    public override bool UsesPkce => true;

    public override bool RotatesRefreshTokens => false;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(2);

    public override IReadOnlyList<KeyValuePair<string, string>> ConnectContext => [new("login_server", "login")];

    public override OAuthEndpoints Endpoints => new("https://login.salesforce.com/services/oauth2/authorize", "https://login.salesforce.com/services/oauth2/token", ["salesforce.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "refresh_token", "signature", "scope", "instance_url", "id", "token_type", "issued_at"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"authentication failure"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"expired access/refresh token"}""");

    public override JsonObject TokenAnswer(TokenGrant grant)
    {
        var answer = new JsonObject { ["access_token"] = grant.AccessToken };
        if (!grant.Refreshed)
        {
            answer["refresh_token"] = grant.RefreshToken;
        }
        answer["signature"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        answer["scope"] = grant.Scope;
        answer["instance_url"] = grant.ApiOrigin;
        answer["id"] = "https://login.salesforce.com/id/00D000000000001EAA/005000000000001AAA";
        answer["token_type"] = "Bearer";
        answer["issued_at"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return answer;
    }

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => Rfc6749Error(400, "invalid_client", "invalid client credentials"),
        OAuthErrorKind.InvalidCode => Rfc6749Error(400, "invalid_grant", "authentication failure"),
        OAuthErrorKind.InvalidRefreshToken => Rfc6749Error(400, "invalid_grant", "expired access/refresh token"),
        _ => Rfc6749Error(400, "unsupported_grant_type", "grant type not supported"),
    };
}
