namespace Truto.Mappings.Accounts;

/// <summary>
/// A context key a provider declares in its YAML <c>context:</c> section: what an integrated
/// account must (or may) hold, how people connecting an account should fill it in, whether it is
/// a secret (never shown again once stored) and, for keys that form a URL, the shape it must have.
/// </summary>
/// <param name="Name">The dotted key (<c>oauth.token.access_token</c>).</param>
/// <param name="Type">The JSON type of its value.</param>
/// <param name="Secret">True for credentials: redacted in every account read, never logged.</param>
/// <param name="Label">A short name for forms (<c>API key</c>).</param>
/// <param name="Help">Where to find the value, for people connecting an account.</param>
/// <param name="Required">True when the provider's templates cannot work without it.</param>
/// <param name="Shape">For keys that form a URL: the shape they must have; null otherwise.</param>
public sealed record ContextKey(string Name, ContextValueType Type, bool Secret, string Label, string? Help, bool Required, ContextShape? Shape);
