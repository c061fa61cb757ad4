using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Pipedrive's <c>POST https://oauth.pipedrive.com/oauth/token</c> (form-encoded, client id and
/// secret as HTTP Basic): answers <c>{"access_token","token_type":"Bearer","expires_in":3599,"refresh_token","scope","api_domain"}</c>
/// on the code exchange and on every refresh (the same refresh token: an unused one expires after
/// 60 days). Refusals are 400 <c>{"success":false,"error":"invalid_grant","message":…}</c>. The
/// token answer's <c>api_domain</c> is the simulator's origin.
/// </summary>
internal sealed class PipedriveOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override bool ClientAuthenticationIsBasic => true;

    public override TimeSpan AccessTokenLifetime => TimeSpan.FromSeconds(3599);

    public override OAuthEndpoints Endpoints => new("https://oauth.pipedrive.com/oauth/authorize", "https://oauth.pipedrive.com/oauth/token", ["pipedrive.com"]);

    // Pipedrive apps choose their scopes in Developer Hub (pipedrive.readme.io/docs/marketplace-oauth-authorization).
    public override bool ScopesChosenOnTheApp => true;

    public override IReadOnlyList<string> TokenAnswerMembers => ["access_token", "token_type", "expires_in", "refresh_token", "scope", "api_domain"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"success":false,"error":"invalid_grant","message":"Invalid grant: authorization code is invalid"}""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"success":false,"error":"invalid_grant","message":"Invalid grant: refresh token is invalid"}""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = grant.ExpiresIn,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = grant.Scope.Length > 0 ? grant.Scope : "base,contacts:full",
        ["api_domain"] = grant.ApiOrigin,
    };

    public override IResult Refusal(OAuthErrorKind kind)
    {
        var (status, error, message) = kind switch
        {
            OAuthErrorKind.InvalidClient => (401, "invalid_client", "Invalid client credentials"),
            OAuthErrorKind.InvalidCode => (400, "invalid_grant", "Invalid grant: authorization code is invalid"),
            OAuthErrorKind.InvalidRefreshToken => (400, "invalid_grant", "Invalid grant: refresh token is invalid"),
            _ => (400, "unsupported_grant_type", "Unsupported grant type"),
        };
        return JsonAnswer(status, new JsonObject { ["success"] = false, ["error"] = error, ["message"] = message });
    }
}
