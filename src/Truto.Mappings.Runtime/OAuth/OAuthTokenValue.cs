namespace Truto.Mappings.OAuth;

/// <summary>A member of a provider's token answer kept in the account's context (YAML <c>oauth2.token_values</c>).</summary>
/// <param name="AnswerMember">The member of the token answer (<c>instance_url</c>).</param>
/// <param name="ContextKey">The dotted context key it is written to (<c>instance_url</c>); a declared key of the provider.</param>
public sealed record OAuthTokenValue(string AnswerMember, string ContextKey);
