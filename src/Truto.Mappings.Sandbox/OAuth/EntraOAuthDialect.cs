using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// Microsoft Entra ID's v2.0 endpoint (<c>POST https://login.microsoftonline.com/organizations/oauth2/v2.0/token</c>,
/// form-encoded, client id and secret in the body), as Dynamics 365 (Dataverse) uses it: answers
/// <c>{"token_type":"Bearer","scope","expires_in","ext_expires_in","access_token","refresh_token"}</c>
/// with access tokens living 60 to 90 minutes; every refresh answers a new refresh token, and the old
/// one is not revoked ("The Microsoft identity platform doesn't revoke old refresh tokens when used
/// to fetch new access tokens", learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens).
/// Refusals are 400 <c>{"error":"invalid_grant","error_description":"AADSTS…: …\r\nTrace ID: …","error_codes":[…],…}</c>:
/// AADSTS54005 for a code already redeemed, AADSTS70000 for another bad code, AADSTS9002313 for a
/// refresh token Entra never issued (unverified: the wording public reports show for a malformed
/// one), AADSTS70000 for a refresh asking a scope not granted at consent; 401 <c>invalid_client</c>
/// AADSTS7000215 for a wrong secret.
/// </summary>
internal sealed class EntraOAuthDialect : OAuthDialect
{
    private const string UsedCode = "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.";
    private const string BadCode = "AADSTS70000: The provided value for the 'code' parameter is not valid.";
    private const string BadRefreshToken = "AADSTS9002313: Invalid request. Request is malformed or invalid.";
    private const string ScopeNotGranted = "AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired. The user must first sign in and grant the client application access to the requested scope.";

    public override bool RotatesRefreshTokens => false;

    public override bool ReplacesRefreshTokens => true;

    // "Randomly determined ... between 60-90 minutes (75 minutes on average)" (entra/identity-platform/configurable-token-lifetimes).
    public override TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(75);

    /// <summary>The environment the scope names: a connect link for Dynamics 365 carries it.</summary>
    public override IReadOnlyList<KeyValuePair<string, string>> ConnectContext => [new("instance_url", "https://acme.crm.dynamics.com")];

    public override OAuthEndpoints Endpoints => new(
        "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
        "https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
        ["microsoftonline.com"]);

    public override IReadOnlyList<string> TokenAnswerMembers => ["token_type", "scope", "expires_in", "ext_expires_in", "access_token", "refresh_token"];

    public override DocumentedRefusal UsedCodeRefusal => new(400, """{"error":"invalid_grant","error_description":"AADSTS54005: """);

    public override DocumentedRefusal? UnknownRefreshTokenRefusal => new(400, """{"error":"invalid_grant","error_description":"AADSTS9002313: """);

    public override JsonObject TokenAnswer(TokenGrant grant) => new()
    {
        ["token_type"] = "Bearer",
        // Entra answers the resource's scopes it granted; offline_access is not among them.
        ["scope"] = string.Join(' ', grant.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "offline_access")),
        ["expires_in"] = grant.ExpiresIn,
        ["ext_expires_in"] = grant.ExpiresIn,
        ["access_token"] = grant.AccessToken,
        ["refresh_token"] = grant.RefreshToken,
    };

    public override IResult RefuseUsedCode() => AadError(400, "invalid_grant", UsedCode);

    /// <summary>"The scopes requested in this leg must be equivalent to or a subset of the scopes requested in the original authorization_code request leg" (v2-oauth2-auth-code-flow).</summary>
    public override IResult? RefuseScope(string? requested, string granted)
    {
        var asked = granted.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return requested is not null && requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => !asked.Contains(s, StringComparer.Ordinal))
            ? AadError(400, "invalid_grant", ScopeNotGranted)
            : null;
    }

    public override IResult Refusal(OAuthErrorKind kind) => kind switch
    {
        OAuthErrorKind.InvalidClient => AadError(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'sandbox-client-id'."),
        OAuthErrorKind.InvalidCode => AadError(400, "invalid_grant", BadCode),
        OAuthErrorKind.InvalidRefreshToken => AadError(400, "invalid_grant", BadRefreshToken),
        _ => AadError(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type."),
    };

    /// <summary>Entra's error body: the AADSTS code and message, then trace and correlation ids, in <c>error_description</c> and again as members.</summary>
    private static IResult AadError(int status, string error, string message)
    {
        var code = int.Parse(message[6..message.IndexOf(':', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
        var trace = Guid.NewGuid().ToString();
        var correlation = Guid.NewGuid().ToString();
        var timestamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return JsonAnswer(status, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"{message}\r\nTrace ID: {trace}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
            ["error_codes"] = new JsonArray(code),
            ["timestamp"] = timestamp,
            ["trace_id"] = trace,
            ["correlation_id"] = correlation,
            ["error_uri"] = $"https://login.microsoftonline.com/error?code={code}",
        });
    }
}
