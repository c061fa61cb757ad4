using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.OAuth;

/// <summary>
/// The <c>scope</c> parameter an account's OAuth requests send: at the authorize redirect, and in
/// the token requests of providers that want it there too (<see cref="OAuth2Info.ScopeOnTokenRequests"/>).
/// Scopes that read the context (Entra ID's <c>{{context.instance_url}}/user_impersonation</c>) are
/// built only from present values of their keys' shapes, so an account value can neither go missing
/// silently nor add a scope (no shape admits white space): otherwise the answer is the 400 naming
/// the key, and nothing is sent.
/// </summary>
public static class OAuthScope
{
    /// <summary>The scope for <paramref name="context"/> (null when the provider declares none), or the error that refuses it.</summary>
    public static (string? Scope, TrutoError? Error) Build(ProviderAdapter adapter, AccountContext context, AccountContextValidator validator)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(validator);
        if (adapter.Info.OAuth2 is not { } oauth)
        {
            return (null, null);
        }
        foreach (var key in oauth.ScopeContextKeys)
        {
            if (context.Find(key) is null)
            {
                var label = adapter.Info.Context.FirstOrDefault(k => k.Name == key)?.Label ?? key;
                return (null, TrutoError.BadRequest("context." + key,
                    $"context.{key} ({label}) is needed for the OAuth scope of {adapter.Info.DisplayName} ({string.Join(oauth.ScopeSeparator, oauth.Scopes)}); a connect link carries it as context[{key}]=…, an account holds it in its context."));
            }
        }
        if (oauth.ScopeContextKeys.Count > 0 && validator.ValidateKeys(adapter, context.Root, oauth.ScopeContextKeys) is { } invalid)
        {
            return (null, invalid);
        }
        try
        {
            return (adapter.BuildOAuthScope(context), null);
        }
        catch (ContextKeyException e)
        {
            return (null, TrutoError.BadRequest("context." + e.Key, e.Message));
        }
    }
}
