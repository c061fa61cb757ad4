namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>What a simulated token endpoint was asked, without the secrets: the grant and the scope it sent.</summary>
/// <param name="GrantType">The <c>grant_type</c> (<c>authorization_code</c>, <c>refresh_token</c>).</param>
/// <param name="Scope">The <c>scope</c> parameter, or null when the request sent none.</param>
public sealed record SeenTokenRequest(string GrantType, string? Scope);
