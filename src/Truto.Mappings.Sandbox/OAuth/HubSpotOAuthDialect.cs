using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// HubSpot's <c>POST /oauth/v1/token</c> (form-encoded, client id and secret in the body): answers
/// <c>{"token_type":"bearer","refresh_token":…,"access_token":…,"expires_in":1800}</c>; refusals are
/// 400 <c>{"status":"BAD_AUTH_CODE"|"BAD_REFRESH_TOKEN"|"BAD_CLIENT_ID","message":…,"correlationId":…}</c>.
/// HubSpot refresh tokens do not rotate.
/// </summary>
internal sealed class HubSpotOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override JsonObject TokenAnswer(string accessToken, string refreshToken, TimeSpan lifetime) => new()
    {
        ["token_type"] = "bearer",
        ["refresh_token"] = refreshToken,
        ["access_token"] = accessToken,
        ["expires_in"] = (long)lifetime.TotalSeconds,
    };

    public override IResult Refusal(OAuthErrorKind kind)
    {
        var (status, message) = kind switch
        {
            OAuthErrorKind.InvalidClient => ("BAD_CLIENT_ID", "missing or invalid client_id / client_secret"),
            OAuthErrorKind.InvalidCode => ("BAD_AUTH_CODE", "missing or unknown auth code"),
            OAuthErrorKind.InvalidRefreshToken => ("BAD_REFRESH_TOKEN", "missing or unknown refresh token"),
            _ => ("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"),
        };
        var body = new JsonObject { ["status"] = status, ["message"] = message, ["correlationId"] = Guid.NewGuid().ToString() };
        return Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, 400);
    }

    /// <summary>HubSpot's 401 for an expired access token (category <c>EXPIRED_AUTHENTICATION</c>, which hubspot.yaml declares).</summary>
    public static JsonObject ExpiredBody() => new()
    {
        ["status"] = "error",
        ["message"] = "The OAuth token used to make this call expired 1 minute(s) ago.",
        ["correlationId"] = Guid.NewGuid().ToString(),
        ["category"] = "EXPIRED_AUTHENTICATION",
    };
}
