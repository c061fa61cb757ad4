using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>
/// A provider's token endpoint shapes: how the client authenticates, its success answer, its error
/// bodies, how long its access tokens live, whether it issues and rotates refresh tokens.
/// </summary>
public abstract class OAuthDialect
{
    /// <summary>True when each refresh answers a new refresh token and the old one stops working.</summary>
    public abstract bool RotatesRefreshTokens { get; }

    /// <summary>
    /// True when each refresh answers a new refresh token: where <see cref="RotatesRefreshTokens"/>
    /// is false, the old one keeps working too (Entra ID does not revoke it).
    /// </summary>
    public virtual bool ReplacesRefreshTokens => RotatesRefreshTokens;

    /// <summary>True when the client id and secret must come as HTTP Basic (RFC 6749 §2.3.1), false when in the body.</summary>
    public virtual bool ClientAuthenticationIsBasic => false;

    /// <summary>False for providers whose tokens never expire and come without a refresh token (monday's legacy OAuth 2.0 flow was one; no simulated provider is now).</summary>
    public virtual bool IssuesRefreshTokens => true;

    /// <summary>The provider's real access token lifetime (tests may shorten it on the simulator).</summary>
    public virtual TimeSpan AccessTokenLifetime => TimeSpan.FromMinutes(30);

    /// <summary>What the provider adds to the redirect back with the code besides <c>code</c> and <c>state</c> (Zoho: the account's data centre).</summary>
    public virtual IReadOnlyList<KeyValuePair<string, string>> CallbackParameters => [];

    /// <summary>
    /// The context values a connect link for this provider must carry (<c>context[key]=value</c>), as
    /// the provider's YAML requires them for its authorize URL: Salesforce's login server, Zoho's
    /// accounts server. Empty for the others.
    /// </summary>
    public virtual IReadOnlyList<KeyValuePair<string, string>> ConnectContext => [];

    /// <summary>
    /// The member names of the code exchange's answer, in the order the provider's documentation
    /// gives them. Stated here, apart from <see cref="TokenAnswer"/>, so a test holds the simulator to them.
    /// </summary>
    public abstract IReadOnlyList<string> TokenAnswerMembers { get; }

    /// <summary>How the provider refuses a code already exchanged.</summary>
    public abstract DocumentedRefusal UsedCodeRefusal { get; }

    /// <summary>How the provider refuses a refresh token it never issued; null where it issues none (<see cref="IssuesRefreshTokens"/>).</summary>
    public abstract DocumentedRefusal? UnknownRefreshTokenRefusal { get; }

    /// <summary>
    /// The provider's documented OAuth endpoints, for the connect link's context
    /// (<see cref="ConnectContext"/>), and the registrable domains its OAuth hosts are on (every
    /// data centre's): the YAML's <c>oauth2</c> URLs are checked against them.
    /// </summary>
    public abstract OAuthEndpoints Endpoints { get; }

    /// <summary>
    /// True where the provider's authorize URL takes no scope because apps choose theirs in the
    /// provider's settings; the YAML then declares no <c>scopes</c>, and every other provider's declares some.
    /// </summary>
    public virtual bool ScopesChosenOnTheApp => false;

    /// <summary>
    /// True where the provider's documentation has the app send a PKCE challenge (RFC 7636, S256)
    /// with the authorize request and the verifier with the code; the YAML then declares
    /// <c>pkce: true</c>, and only then. The simulator checks a verifier whenever a challenge came.
    /// </summary>
    public virtual bool UsesPkce => false;

    /// <summary>The token answer.</summary>
    public abstract JsonObject TokenAnswer(TokenGrant grant);

    /// <summary>The refusal, as the provider words it.</summary>
    public abstract IResult Refusal(OAuthErrorKind kind);

    /// <summary>How a code exchanged before is refused, where the provider says so apart from other bad codes (Entra's AADSTS54005).</summary>
    public virtual IResult RefuseUsedCode() => Refusal(OAuthErrorKind.InvalidCode);

    /// <summary>
    /// The refusal of a token request whose <c>scope</c> (null when it sends none) asks for more than
    /// the user granted (<paramref name="granted"/>, as the authorize request asked it), where the
    /// provider checks it (Entra ID); null to go on.
    /// </summary>
    public virtual IResult? RefuseScope(string? requested, string granted) => null;

    /// <summary>The RFC 6749 §5.2 error body most providers answer: <c>{"error":…,"error_description":…}</c>.</summary>
    protected static IResult Rfc6749Error(int status, string error, string description)
        => JsonAnswer(status, new JsonObject { ["error"] = error, ["error_description"] = description });

    /// <summary>A JSON answer.</summary>
    protected static IResult JsonAnswer(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);
}
