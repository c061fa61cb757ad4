using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Egress;

/// <summary>
/// Decides an account's base URL and checks it, knowing which key made it: the account's
/// <c>base_url</c> (checked, named <c>context.base_url</c>), else configuration's
/// <c>Providers:{name}:BaseUrl</c> (trusted), else the YAML's template over the context (checked,
/// named after the URL-forming key that shaped it). A template that needs a key the context lacks
/// throws <see cref="ContextKeyException"/>, as building the request does.
/// </summary>
internal sealed class BaseUrlResolver(TrutoMappingsOptions options, EgressPolicy policy)
{
    /// <summary>The context key that replaces a provider's whole base URL (a simulator, a proxy).</summary>
    public const string AccountKey = "base_url";

    /// <summary>The base URL the account's calls go to, or the 400 that stops them.</summary>
    public (string? Url, TrutoError? Error) Resolve(ProviderAdapter adapter, AccountContext context)
    {
        if (context.Find(AccountKey) is { } own)
        {
            return Checked(own, policy.CheckAccountUrl(adapter.Info, own, "context." + AccountKey));
        }
        if (options.ProviderBaseUrls.TryGetValue(adapter.Info.Name, out var configured))
        {
            return Checked(configured, EgressPolicy.CheckConfiguredUrl(adapter.Info, configured));
        }
        var built = adapter.BuildBaseUrl(context);
        return Checked(built, policy.CheckAccountUrl(adapter.Info, built, Blame(adapter.Info, context)));
    }

    /// <summary>
    /// Checks, for a context being stored, every base URL it names: its <c>base_url</c> when present,
    /// and the YAML's base URL when a URL-forming key is present (whatever configuration says today,
    /// the account may be used without it tomorrow).
    /// </summary>
    public TrutoError? CheckStored(ProviderAdapter adapter, AccountContext context)
    {
        if (context.Find(AccountKey) is { } own && policy.CheckAccountUrl(adapter.Info, own, "context." + AccountKey) is { } refused)
        {
            return refused;
        }
        if (!adapter.Info.Context.Any(k => k.Shape is not null && context.Find(k.Name) is not null))
        {
            return null;
        }
        try
        {
            return policy.CheckAccountUrl(adapter.Info, adapter.BuildBaseUrl(context), Blame(adapter.Info, context));
        }
        catch (ContextKeyException e)
        {
            return TrutoError.BadRequest("context." + e.Key, e.Message);
        }
    }

    /// <summary>
    /// The field a refused YAML-built base URL is reported under: the URL-forming key the account
    /// set (an https origin first: it decides the host whole), or <c>base_url</c> when the template
    /// uses none (then the YAML's own hosts are wrong).
    /// </summary>
    private static string Blame(ProviderInfo provider, AccountContext context)
    {
        var key = provider.Context
            .Where(k => k.Shape is not null && context.Find(k.Name) is not null)
            .OrderBy(k => k.Shape!.Kind == ContextShapeKind.HttpsOrigin ? 0 : 1)
            .FirstOrDefault();
        return key is null ? AccountKey : "context." + key.Name;
    }

    private static (string? Url, TrutoError? Error) Checked(string url, TrutoError? error) => error is null ? (url, null) : (null, error);
}
