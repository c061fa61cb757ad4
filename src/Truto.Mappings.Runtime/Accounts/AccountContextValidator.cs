using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Accounts;

/// <summary>
/// The one check an integrated account's context passes before it is stored (create, update) and
/// again before each call: the provider's declaration (<see cref="ContextValidator"/>: control
/// characters, required keys, types, URL shapes) and the egress policy for every base URL it names
/// (<c>base_url</c>, or the URL its URL-forming keys build). The answer is the 400 naming the key.
/// </summary>
public sealed class AccountContextValidator
{
    private readonly EgressPolicy _egress;
    private readonly BaseUrlResolver _baseUrls;

    internal AccountContextValidator(EgressPolicy egress, BaseUrlResolver baseUrls)
    {
        _egress = egress;
        _baseUrls = baseUrls;
    }

    /// <summary>The first problem with <paramref name="context"/> for <paramref name="adapter"/>'s provider, or null.</summary>
    public TrutoError? Validate(ProviderAdapter adapter, JsonElement context)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        return ContextValidator.Validate(adapter.Info.Context, context, _egress, adapter.Info.DisplayName, adapter.Info.RequiredContextChoices)
            ?? _baseUrls.CheckStored(adapter, new AccountContext(context));
    }

    /// <summary>
    /// The first problem with the values <paramref name="context"/> holds for <paramref name="keys"/>
    /// (their type and shape, none required), or null: for values taken in before the whole context
    /// exists, such as the connect callback's (Zoho's accounts server) before the code exchange.
    /// </summary>
    public TrutoError? ValidateKeys(ProviderAdapter adapter, JsonElement context, IReadOnlyCollection<string> keys)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(keys);
        var declared = adapter.Info.Context.Where(k => keys.Contains(k.Name)).Select(k => k with { Required = false }).ToList();
        return ContextValidator.Validate(declared, context, _egress, adapter.Info.DisplayName);
    }

    /// <summary>The first problem with <paramref name="context"/> for <paramref name="adapter"/>'s provider, or null.</summary>
    public TrutoError? Validate(ProviderAdapter adapter, AccountContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Validate(adapter, context.Root);
    }
}
