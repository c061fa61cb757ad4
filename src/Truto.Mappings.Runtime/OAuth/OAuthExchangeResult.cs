using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.OAuth;

/// <summary>The outcome of a code exchange: the new account's context, or the error.</summary>
/// <param name="Context">The context to store (a JSON object), when the exchange succeeded.</param>
/// <param name="Error">Why it failed (the provider's message kept), when it did.</param>
public sealed record OAuthExchangeResult(JsonElement? Context, TrutoError? Error);
