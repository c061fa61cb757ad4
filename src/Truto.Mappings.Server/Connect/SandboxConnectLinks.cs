using Microsoft.AspNetCore.WebUtilities;

namespace Truto.Mappings.Server.Connect;

/// <summary>Connect links the sandbox prints at start, one per provider, for the <c>sandbox</c> tenant.</summary>
public sealed class SandboxConnectLinks(ConnectLinks links, TimeProvider time, ConnectOptions options, string root)
{
    /// <summary>How long a printed link works.</summary>
    public TimeSpan Lifetime => options.LinkLifetime;

    /// <summary>
    /// A link that connects an account of <paramref name="integration"/> and ends at <paramref name="redirectUri"/>,
    /// carrying <paramref name="context"/> as <c>context[key]=value</c> (what the provider's scope or URLs need when connecting: Dynamics 365's environment).
    /// </summary>
    public string Url(string integration, string redirectUri, IEnumerable<KeyValuePair<string, string>>? context = null)
    {
        var token = links.Create(new ConnectLink(Storage.StoredAccount.DefaultEnvironment, "sandbox", integration, redirectUri, time.GetUtcNow() + options.LinkLifetime));
        var parameters = new List<KeyValuePair<string, string?>> { new("link_token", token) };
        parameters.AddRange((context ?? []).Select(c => new KeyValuePair<string, string?>(ContextInput.Prefix + c.Key + "]", c.Value)));
        return QueryHelpers.AddQueryString($"{root}/connect/{Uri.EscapeDataString(integration)}", parameters);
    }
}
