using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// A provider's OAuth 2.0 authorization server, for the sandbox: an authorize page with Allow and
/// Deny, and a token endpoint for the <c>authorization_code</c> and <c>refresh_token</c> grants
/// that checks the client, the redirect URI and PKCE, and answers in the provider's shape
/// (<see cref="OAuthDialect"/>). Access tokens expire after <see cref="AccessTokenLifetime"/>;
/// refresh tokens rotate where the real provider rotates them.
/// </summary>
public sealed class OAuthServerSimulator
{
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    // Live refresh tokens and the scope each was granted.
    private readonly ConcurrentDictionary<string, string> _refreshTokens = new(StringComparer.Ordinal);
    // Codes exchanged already, for the providers that word that refusal apart (Entra's AADSTS54005).
    private readonly ConcurrentDictionary<string, bool> _redeemedCodes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<SeenTokenRequest> _seen = new();
    private long _tokenRequests;

    internal OAuthServerSimulator(string name, OAuthDialect dialect)
    {
        Name = name;
        Dialect = dialect;
        AccessTokenLifetime = dialect.AccessTokenLifetime;
        CallbackParameters = dialect.CallbackParameters;
    }

    /// <summary>The sandbox's OAuth client id for this provider.</summary>
    public const string ClientId = "sandbox-client-id";

    /// <summary>The sandbox's OAuth client secret for this provider.</summary>
    public const string ClientSecret = "sandbox-client-secret";

    /// <summary>The integration name.</summary>
    public string Name { get; }

    /// <summary>The provider's request and answer shapes.</summary>
    public OAuthDialect Dialect { get; }

    /// <summary>How long issued access tokens work (the provider's real lifetime unless a test shortens it).</summary>
    public TimeSpan AccessTokenLifetime { get; set; }

    /// <summary>What the redirect back with a code carries besides it and the state (the provider's own, unless a test replaces them).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CallbackParameters { get; set; }

    /// <summary>The clock tokens expire by.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Token requests answered so far.</summary>
    public long TokenRequests => Interlocked.Read(ref _tokenRequests);

    /// <summary>The grant type and <c>scope</c> of every token request with a valid client, in order (no secrets).</summary>
    public IReadOnlyList<SeenTokenRequest> SeenTokenRequests => [.. _seen];

    /// <summary>The authorize page's path under the sandbox root.</summary>
    public string AuthorizePath => $"/oauth/{Name}/authorize";

    /// <summary>The token endpoint's path under the sandbox root.</summary>
    public string TokenPath => $"/oauth/{Name}/token";

    /// <summary>What an access token is worth now.</summary>
    public AccessTokenStatus Check(string? accessToken)
        => accessToken is null || !_accessTokens.TryGetValue(accessToken, out var expiresAt) ? AccessTokenStatus.Unknown
            : expiresAt > Clock.GetUtcNow() ? AccessTokenStatus.Valid : AccessTokenStatus.Expired;

    internal void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(AuthorizePath, AuthorizePage);
        endpoints.MapPost(AuthorizePath, DecideAsync);
        endpoints.MapPost(TokenPath, TokenAsync);
    }

    private IResult AuthorizePage(HttpRequest request)
    {
        var query = request.Query;
        if (query["client_id"] != ClientId || string.IsNullOrEmpty(query["redirect_uri"]))
        {
            return Results.Text("<!DOCTYPE html><html><body><h1 id=\"title\">Invalid client_id or redirect_uri</h1></body></html>", "text/html", Encoding.UTF8, 400);
        }
        var hidden = new StringBuilder();
        foreach (var name in new[] { "redirect_uri", "state", "scope", "code_challenge", "code_challenge_method" })
        {
            hidden.Append("<input type=\"hidden\" name=\"").Append(name).Append("\" value=\"").Append(WebUtility.HtmlEncode(query[name].ToString())).Append("\">");
        }
        var html = $"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Authorize ({WebUtility.HtmlEncode(Name)} sandbox)</title></head><body>
            <h1 id="title">Allow access to your {WebUtility.HtmlEncode(Name)} account?</h1>
            <p id="scope">Scopes: {WebUtility.HtmlEncode(query["scope"].ToString())}</p>
            <form method="post" action="{AuthorizePath}">{hidden}
            <button type="submit" name="decision" value="allow" id="allow">Allow</button>
            <button type="submit" name="decision" value="deny" id="deny">Deny</button>
            </form></body></html>
            """;
        return Results.Text(html, "text/html", Encoding.UTF8);
    }

    private async Task<IResult> DecideAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var redirectUri = form["redirect_uri"].ToString();
        var state = form["state"].ToString();
        if (form["decision"] != "allow")
        {
            return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, new Dictionary<string, string?>
            {
                ["error"] = "access_denied",
                ["error_description"] = "The user denied access.",
                ["state"] = state,
            }));
        }
        var code = NewSecret("code");
        _codes[code] = new PendingCode(redirectUri, form["code_challenge"].ToString() is { Length: > 0 } challenge ? challenge : null, form["scope"].ToString());
        var answer = new Dictionary<string, string?> { ["code"] = code, ["state"] = state };
        foreach (var (name, value) in CallbackParameters)
        {
            answer[name] = value;
        }
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, answer));
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        Interlocked.Increment(ref _tokenRequests);
        var form = request.HasFormContentType ? await request.ReadFormAsync(request.HttpContext.RequestAborted) : FormCollection.Empty;
        if (!ClientAuthenticated(request, form))
        {
            return Dialect.Refusal(OAuthErrorKind.InvalidClient);
        }
        var requestedScope = form.TryGetValue("scope", out var asked) ? asked.ToString() : null;
        _seen.Enqueue(new SeenTokenRequest(form["grant_type"].ToString(), requestedScope));
        string? refreshToken;
        string scope;
        var refreshed = false;
        switch (form["grant_type"].ToString())
        {
            case "authorization_code":
                if (!_codes.TryRemove(form["code"].ToString(), out var pending))
                {
                    return _redeemedCodes.ContainsKey(form["code"].ToString()) ? Dialect.RefuseUsedCode() : Dialect.Refusal(OAuthErrorKind.InvalidCode);
                }
                _redeemedCodes[form["code"].ToString()] = true;
                if (pending.RedirectUri != form["redirect_uri"] || (pending.Challenge is not null && !VerifierMatches(form["code_verifier"].ToString(), pending.Challenge)))
                {
                    return Dialect.Refusal(OAuthErrorKind.InvalidCode);
                }
                if (Dialect.RefuseScope(requestedScope, pending.Scope) is { } wider)
                {
                    return wider;
                }
                scope = pending.Scope;
                refreshToken = Dialect.IssuesRefreshTokens ? NewSecret("refresh") : null;
                if (refreshToken is not null)
                {
                    _refreshTokens[refreshToken] = scope;
                }
                break;
            case "refresh_token" when Dialect.IssuesRefreshTokens:
                refreshToken = form["refresh_token"].ToString();
                if (!_refreshTokens.TryGetValue(refreshToken, out var granted))
                {
                    return Dialect.Refusal(OAuthErrorKind.InvalidRefreshToken);
                }
                if (Dialect.RefuseScope(requestedScope, granted) is { } notGranted)
                {
                    return notGranted;
                }
                scope = granted;
                refreshed = true;
                // A rotated refresh token stops working at once (Zendesk Sell, Outreach); a retry with it is refused.
                // Entra replaces it too but keeps the old one working.
                if (Dialect.RotatesRefreshTokens ? _refreshTokens.TryRemove(refreshToken, out _) : Dialect.ReplacesRefreshTokens)
                {
                    refreshToken = NewSecret("refresh");
                    _refreshTokens[refreshToken] = scope;
                }
                break;
            default:
                return Dialect.Refusal(OAuthErrorKind.UnsupportedGrant);
        }
        var accessToken = NewSecret("access");
        _accessTokens[accessToken] = Clock.GetUtcNow() + AccessTokenLifetime;
        var grant = new TokenGrant(accessToken, refreshToken, AccessTokenLifetime, refreshed, $"{request.Scheme}://{request.Host}", scope);
        return Results.Text(Dialect.TokenAnswer(grant).ToJsonString(), "application/json", Encoding.UTF8, 200);
    }

    /// <summary>The client id and secret where the provider takes them: HTTP Basic or the form body.</summary>
    private bool ClientAuthenticated(HttpRequest request, IFormCollection form)
    {
        if (!Dialect.ClientAuthenticationIsBasic)
        {
            return form["client_id"] == ClientId && form["client_secret"] == ClientSecret;
        }
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            return pair == Uri.EscapeDataString(ClientId) + ":" + Uri.EscapeDataString(ClientSecret);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool VerifierMatches(string verifier, string challenge)
    {
        var computed = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private string NewSecret(string kind) => $"sandbox-{Name}-{kind}-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private sealed record PendingCode(string RedirectUri, string? Challenge, string Scope);
}
