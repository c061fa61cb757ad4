using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Truto.Mappings.Server.Connect;

/// <summary>
/// The secret part of a connect state (encrypted at rest): values known at connect time, the PKCE
/// verifier and the account a reconnect updates (here rather than in a column: states stored
/// before reconnecting existed read as creating an account, and no migration is needed).
/// </summary>
/// <param name="Context">The context values given when the flow started (<c>context[key]=…</c>).</param>
/// <param name="CodeVerifier">The PKCE verifier, when the provider uses PKCE.</param>
/// <param name="AccountId">The account the flow reconnects, or null to create one.</param>
public sealed record ConnectStatePayload(
    [property: JsonPropertyName("context")] JsonObject Context,
    [property: JsonPropertyName("code_verifier")] string? CodeVerifier,
    [property: JsonPropertyName("integrated_account_id")] string? AccountId = null);
