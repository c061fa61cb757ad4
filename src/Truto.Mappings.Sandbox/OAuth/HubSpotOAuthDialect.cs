using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// HubSpot's <c>POST /oauth/2026-03/token</c>, the date-versioned endpoint that replaces
/// <c>/oauth/v1/token</c> (deprecated on 2027-02-16: developers.hubspot.com/changelog/v1-oauth-api-deprecation),
/// form-encoded with the client id and secret in the body: answers
/// <c>{"token_type":"bearer","refresh_token","hub_id","scopes":[…],"access_token","expires_in":1800}</c>
/// (hub_id and scopes since 2025-08-18: developers.hubspot.com/changelog/additional-details-returned-when-generating-oauth-access-tokens);
/// refusals are 400 with RFC 6749 members beside HubSpot's own, e.g.
/// <c>{"error":"invalid_grant","error_description":"refresh token is invalid, expired or revoked","status":"BAD_REFRESH_TOKEN","message":…}</c>
/// (developers.hubspot.com/changelog/new-oauth-v3-api-endpoints-and-standardized-error-responses).
/// HubSpot refresh tokens do not rotate. Unverified: the error descriptions other than the refresh
/// token's, and the status of an invalid_client refusal (400 kept from v1).
/// </summary>
internal sealed class HubSpotOAuthDialect : OAuthDialect
{
    public override bool RotatesRefreshTokens => false;

    public override OAuthEndpoints Endpoints => new("https://app.hubspot.com/oauth/authorize", "https://api.hubapi.com/oauth/2026-03/token", ["hubspot.com", "hubapi.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["token_type", "refresh_token", "hub_id", "scopes", "access_token", "expires_in"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"missing or unknown auth code","status":"BAD_AUTH_CODE","message":"missing or unknown auth code","correlationId":""");

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"refresh token is invalid, expired or revoked","status":"BAD_REFRESH_TOKEN","message":"refresh token is invalid, expired or revoked","correlationId":""");

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["token_type"] = "bearer",
        ["refresh_token"] = grant.RefreshToken,
        ["hub_id"] = 62515,
        ["scopes"] = new JsonArray([.. grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => (JsonNode)s)]),
        ["access_token"] = grant.AccessToken,
        ["expires_in"] = grant.ExpiresIn,
    };

    public override IResult Refusal(OAuthErrorKind kind)
    {
        var (error, status, message) = kind switch
        {
            OAuthErrorKind.InvalidClient => ("invalid_client", "BAD_CLIENT_ID", "missing or invalid client_id / client_secret"),
            OAuthErrorKind.InvalidCode => ("invalid_grant", "BAD_AUTH_CODE", "missing or unknown auth code"),
            OAuthErrorKind.InvalidRefreshToken => ("invalid_grant", "BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked"),
            _ => ("unsupported_grant_type", "BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token"),
        };
        return JsonAnswer(400, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = message,
            ["status"] = status,
            ["message"] = message,
            ["correlationId"] = Guid.NewGuid().ToString(),
        });
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
