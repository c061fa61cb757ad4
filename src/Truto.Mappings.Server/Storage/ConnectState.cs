namespace Truto.Mappings.Server.Storage;

/// <summary>
/// One connect flow in progress, stored under the SHA-256 hash of its <c>state</c> value (never
/// the value itself): whose account it makes, where the browser goes back to, and what the
/// callback needs. Single use: taking it removes it.
/// </summary>
/// <param name="Hash">The SHA-256 hash of the <c>state</c> value the browser carries.</param>
/// <param name="Environment">The environment the account will belong to.</param>
/// <param name="TenantId">The tenant the account will belong to.</param>
/// <param name="Integration">The provider.</param>
/// <param name="RedirectUri">The application's allowed redirect URI, where the flow ends.</param>
/// <param name="CallbackUri">The redirect URI given to the provider (the token request must repeat it exactly).</param>
/// <param name="Payload">The values known at connect time and the PKCE verifier, as JSON; encrypted at rest.</param>
/// <param name="CreatedAt">When the flow started.</param>
/// <param name="ExpiresAt">When the state stops being accepted.</param>
public sealed record ConnectState(
    string Hash,
    string Environment,
    string? TenantId,
    string Integration,
    string RedirectUri,
    string CallbackUri,
    string Payload,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
