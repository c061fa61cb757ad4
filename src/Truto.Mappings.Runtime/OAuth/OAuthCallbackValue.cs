namespace Truto.Mappings.OAuth;

/// <summary>
/// A parameter of the provider's authorization response (the connect callback's query) kept in the
/// account's context before the code is exchanged (YAML <c>oauth2.callback_values</c>): Zoho names
/// the account's data centre in <c>accounts-server</c>, where its tokens must be requested.
/// </summary>
/// <param name="Parameter">The query parameter (<c>accounts-server</c>).</param>
/// <param name="ContextKey">The dotted context key it is written to (<c>accounts_server</c>); a declared key of the provider, whose shape the value must have.</param>
public sealed record OAuthCallbackValue(string Parameter, string ContextKey);
