using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// The simulated token endpoints over HTTP, each in its provider's words: the token answer's
/// members, the refusal of a used code and of an unknown refresh token, client authentication in
/// the body or as HTTP Basic, rotation where the provider rotates, PKCE where the provider uses it,
/// the scope of a refresh held to the consented one where Entra ID checks it.
/// </summary>
public sealed class OAuthDialectTokenEndpointTests(OAuthDialectFixture flow) : IClassFixture<OAuthDialectFixture>
{
    private const string Callback = "https://truto.example.com/connect/callback";
    private static readonly string[] OriginMembers = ["instance_url", "api_domain"];
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });

    [Theory]
    [MemberData(nameof(OAuthProviders.Every), MemberType = typeof(OAuthProviders))]
    public async Task A_code_is_exchanged_once_for_the_providers_token_answer(string provider)
    {
        var members = OAuthProviders.Dialect(provider).TokenAnswerMembers;
        var code = await AllowAsync(provider, challenge: null);

        var (status, answer) = await TokenAsync(provider, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(members, answer.Select(p => p.Key));
        foreach (var origin in OriginMembers.Where(answer.ContainsKey))
        {
            // Points back at the simulator, so an account built from the answer keeps calling it.
            Assert.Equal(flow.Sandbox.RootUrl.ToString().TrimEnd('/'), (string?)answer[origin]);
        }
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.Every), MemberType = typeof(OAuthProviders))]
    public async Task A_used_code_is_refused_in_the_providers_words(string provider)
    {
        var expected = OAuthProviders.Dialect(provider).UsedCodeRefusal;
        var code = await AllowAsync(provider, challenge: null);
        await TokenAsync(provider, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));

        var (status, used) = await RawTokenAsync(provider, ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));

        Assert.Equal((HttpStatusCode)expected.Status, status);
        Assert.StartsWith(expected.BodyStart, used, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.Refreshing), MemberType = typeof(OAuthProviders))]
    public async Task An_unknown_refresh_token_is_refused_in_the_providers_words(string provider)
    {
        var expected = OAuthProviders.Dialect(provider).UnknownRefreshTokenRefusal;

        var (status, unknown) = await RawTokenAsync(provider, ("grant_type", "refresh_token"), ("refresh_token", "never-issued"));

        Assert.NotNull(expected);
        Assert.Equal((HttpStatusCode)expected.Status, status);
        Assert.StartsWith(expected.BodyStart, unknown, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.Refreshing), MemberType = typeof(OAuthProviders))]
    public async Task A_refresh_rotates_the_refresh_token_only_where_the_provider_does(string provider)
    {
        var rotates = OAuthProviders.Dialect(provider).RotatesRefreshTokens;
        var replaces = OAuthProviders.Dialect(provider).ReplacesRefreshTokens;
        var (_, first) = await TokenAsync(provider, ("grant_type", "authorization_code"), ("code", await AllowAsync(provider, challenge: null)), ("redirect_uri", Callback));
        var original = (string)first["refresh_token"]!;

        var (refreshedStatus, refreshed) = await TokenAsync(provider, ("grant_type", "refresh_token"), ("refresh_token", original));
        var (againStatus, _) = await TokenAsync(provider, ("grant_type", "refresh_token"), ("refresh_token", original));

        Assert.Equal(HttpStatusCode.OK, refreshedStatus);
        Assert.Equal(AccessTokenStatus.Valid, flow.OAuth(provider).Check((string)refreshed["access_token"]!));
        // Salesforce and Zoho answer no refresh token on a refresh (the runtime keeps the old one);
        // Entra answers a new one but does not revoke the old.
        var answered = (string?)refreshed["refresh_token"];
        Assert.Equal(replaces, answered is not null && answered != original);
        Assert.Equal(rotates ? HttpStatusCode.BadRequest : HttpStatusCode.OK, againStatus);
    }

    [Fact]
    public async Task Entra_refuses_a_refresh_asking_a_scope_not_granted_at_consent_and_accepts_the_granted_one()
    {
        var (_, first) = await TokenAsync("dynamics365", ("grant_type", "authorization_code"), ("code", await AllowAsync("dynamics365", challenge: null)), ("redirect_uri", Callback));
        var refreshToken = (string)first["refresh_token"]!;

        var (wider, widerBody) = await RawTokenAsync("dynamics365", ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", "granted https://other.crm.dynamics.com/user_impersonation"));
        var (same, _) = await TokenAsync("dynamics365", ("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("scope", "granted"));

        Assert.Equal(HttpStatusCode.BadRequest, wider);
        Assert.StartsWith("{\"error\":\"invalid_grant\",\"error_description\":\"AADSTS70000: ", widerBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, same);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.WithPkce), MemberType = typeof(OAuthProviders))]
    public async Task A_code_whose_PKCE_verifier_does_not_match_is_refused_as_a_bad_code_and_the_right_verifier_is_accepted(string provider)
    {
        const string Verifier = "the-right-verifier-the-right-verifier-0123456789";
        var challenge = WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));
        var wrongCode = await AllowAsync(provider, challenge);
        var rightCode = await AllowAsync(provider, challenge);
        var refusal = OAuthProviders.Dialect(provider).UsedCodeRefusal;

        var (wrongStatus, wrong) = await RawTokenAsync(provider, ("grant_type", "authorization_code"), ("code", wrongCode), ("redirect_uri", Callback), ("code_verifier", "another-verifier-another-verifier-0123456789"));
        var (rightStatus, answer) = await TokenAsync(provider, ("grant_type", "authorization_code"), ("code", rightCode), ("redirect_uri", Callback), ("code_verifier", Verifier));

        Assert.Equal((HttpStatusCode)refusal.Status, wrongStatus);
        Assert.StartsWith(refusal.BodyStart, wrong, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rightStatus);
        Assert.NotNull((string?)answer["access_token"]);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.WithBasicClientAuthentication), MemberType = typeof(OAuthProviders))]
    public async Task Basic_client_authentication_providers_refuse_credentials_in_the_body(string provider)
    {
        var code = await AllowAsync(provider, challenge: null);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = Callback,
            ["client_id"] = OAuthServerSimulator.ClientId, ["client_secret"] = OAuthServerSimulator.ClientSecret,
        });

        using var answer = await Http.PostAsync(new Uri(flow.Sandbox.RootUrl, flow.OAuth(provider).TokenPath), form);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
        Assert.Contains("\"invalid_client\"", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(OAuthProviders.WithPkce), MemberType = typeof(OAuthProviders))]
    public async Task The_connect_flow_sends_a_S256_code_challenge_where_the_provider_uses_PKCE(string provider)
    {
        using var start = await flow.Api.GetAsync($"/connect/{provider}?tenant_id=acme&redirect_uri={Uri.EscapeDataString(OAuthDialectFixture.RedirectUri)}{OAuthProviders.ConnectQuery(provider)}");

        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var query = QueryHelpers.ParseQuery(start.Headers.Location!.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        // 32 random bytes, base64url without padding (RFC 7636 §4.2).
        Assert.Equal(43, query["code_challenge"].ToString().Length);
    }

    private async Task<string> AllowAsync(string provider, string? challenge)
    {
        var fields = new Dictionary<string, string> { ["redirect_uri"] = Callback, ["state"] = "s", ["scope"] = "granted", ["decision"] = "allow" };
        if (challenge is not null)
        {
            fields["code_challenge"] = challenge;
            fields["code_challenge_method"] = "S256";
        }
        using var form = new FormUrlEncodedContent(fields);
        using var answer = await Http.PostAsync(new Uri(flow.Sandbox.RootUrl, flow.OAuth(provider).AuthorizePath), form);
        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        return QueryHelpers.ParseQuery(answer.Headers.Location!.Query)["code"].ToString();
    }

    private async Task<(HttpStatusCode Status, JsonObject Answer)> TokenAsync(string provider, params (string Name, string Value)[] fields)
    {
        var (status, body) = await RawTokenAsync(provider, fields);
        return (status, JsonNode.Parse(body)!.AsObject());
    }

    /// <summary>A token request as the runtime sends it for <paramref name="provider"/>: the client in the body, or as HTTP Basic.</summary>
    private async Task<(HttpStatusCode Status, string Body)> RawTokenAsync(string provider, params (string Name, string Value)[] fields)
    {
        var oauth = flow.OAuth(provider);
        var parameters = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).ToList();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(flow.Sandbox.RootUrl, oauth.TokenPath));
        if (oauth.Dialect.ClientAuthenticationIsBasic)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(OAuthServerSimulator.ClientId + ":" + OAuthServerSimulator.ClientSecret)));
        }
        else
        {
            parameters.Add(new("client_id", OAuthServerSimulator.ClientId));
            parameters.Add(new("client_secret", OAuthServerSimulator.ClientSecret));
        }
        request.Content = new FormUrlEncodedContent(parameters);
        using var answer = await Http.SendAsync(request);
        return (answer.StatusCode, await answer.Content.ReadAsStringAsync());
    }
}
