namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>A provider's real OAuth endpoints, as its documentation gives them.</summary>
/// <param name="Authorize">The authorize URL (for the connect context, where it depends on one).</param>
/// <param name="Token">The token URL (likewise).</param>
/// <param name="Domains">The registrable domains its OAuth hosts may be on, for every allowed context value.</param>
public sealed record OAuthEndpoints(string Authorize, string Token, IReadOnlyList<string> Domains);
