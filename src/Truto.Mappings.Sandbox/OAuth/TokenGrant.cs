namespace Truto.Mappings.Sandbox.OAuth;

/// <summary>What the simulated token endpoint issues in one answer, for the dialect to word.</summary>
/// <param name="AccessToken">The new access token.</param>
/// <param name="RefreshToken">The refresh token (new, or the unchanged one where the provider does not rotate), or null when the provider issues none.</param>
/// <param name="Lifetime">How long the access token works.</param>
/// <param name="Refreshed">True for the <c>refresh_token</c> grant, false for the code exchange.</param>
/// <param name="ApiOrigin">The origin the request came to (<c>http://127.0.0.1:port</c>): the simulator's host, for answers that name the account's API host (Salesforce <c>instance_url</c>, Zoho and Pipedrive <c>api_domain</c>).</param>
/// <param name="Scope">The scope the user granted, as the authorize request asked it.</param>
public sealed record TokenGrant(string AccessToken, string? RefreshToken, TimeSpan Lifetime, bool Refreshed, string ApiOrigin, string Scope)
{
    /// <summary>The lifetime in whole seconds, as <c>expires_in</c> carries it.</summary>
    public long ExpiresIn => (long)Lifetime.TotalSeconds;
}
