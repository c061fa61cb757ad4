using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Truto.Mappings.Server.Connect;

/// <summary>The secret part of a connect state (encrypted at rest): values known at connect time and the PKCE verifier.</summary>
/// <param name="Context">The context values given when the flow started (<c>context[key]=…</c>).</param>
/// <param name="CodeVerifier">The PKCE verifier, when the provider uses PKCE.</param>
public sealed record ConnectStatePayload(
    [property: JsonPropertyName("context")] JsonObject Context,
    [property: JsonPropertyName("code_verifier")] string? CodeVerifier);
