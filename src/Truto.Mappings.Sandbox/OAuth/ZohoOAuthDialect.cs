using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Zoho's <c>POST {accounts server}/oauth/v2/token</c> (form-encoded, client id and secret in the
/// body): answers <c>{"access_token","refresh_token","scope","api_domain","token_type":"Bearer","expires_in":3600}</c>;
/// a refresh answers no refresh token (Zoho's do not rotate). Refusals come with HTTP 200 and an
/// error member only: <c>{"error":"invalid_code"}</c> for a bad code and for a bad refresh token alike,
/// <c>{"error":"invalid_client"}</c>. The token answer's <c>api_domain</c> is the simulator's origin.
/// </summary>
internal sealed class ZohoOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromHours(1);

    /// <summary>
    /// Zoho names the account's data centre on the redirect: <c>?code=…&amp;location=us&amp;accounts-server=https://accounts.zoho.com</c>
    /// (zoho.com/accounts/protocol/oauth/multi-dc/client-authorization.html). The sandbox's accounts are in the US one.
    /// </summary>
    public override IReadOnlyList<KeyValuePair<string, string>> CallbackParameters => [new("location", "us"), new("accounts-server", "https://accounts.zoho.com")];

    public override IReadOnlyList<KeyValuePair<string, string>> ConnectContext => [new("accounts_server", "accounts.zoho.com")];

    public override OAuthEndpoints Endpoints => new("https://accounts.zoho.com/oauth/v2/auth", "https://accounts.zoho.com/oauth/v2/token", ["zoho.com", "zoho.eu", "zoho.in", "zoho.com.au", "zoho.jp", "zoho.com.cn", "zohocloud.ca", "zoho.sa", "zoho.uk"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "refresh_token", "scope", "api_domain", "token_type", "expires_in"];

    public override DocumentedRefusal UsedCodeRefusal => new(200, """{"error":"invalid_code"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(200, """{"error":"invalid_code"}""");

    public override JsonObject TokenAnswer(TokenGrant grant)
    {
        var answer = new JsonObject { ["access_token"] = grant.AccessToken };
        if (!grant.Refreshed)
        {
            answer["refresh_token"] = grant.RefreshToken;
        }
        answer["scope"] = grant.Scope;
        answer["api_domain"] = grant.ApiOrigin;
        answer["token_type"] = "Bearer";
        answer["expires_in"] = grant.ExpiresIn;
        return answer;
    }

    public override IResult Refusal(OAuthErrorKind kind) => JsonAnswer(200, new JsonObject
    {
        ["error"] = kind switch
        {
            OAuthErrorKind.InvalidClient => "invalid_client",
            OAuthErrorKind.UnsupportedGrant => "unsupported_grant_type",
            _ => "invalid_code",
        },
    });
}
