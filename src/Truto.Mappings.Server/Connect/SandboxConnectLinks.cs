using Microsoft.AspNetCore.WebUtilities;

namespace Truto.Mappings.Server.Connect;

/// <summary>Connect links the sandbox prints at start, one per provider, for the <c>sandbox</c> tenant.</summary>
public sealed class SandboxConnectLinks(ConnectLinks links, TimeProvider time, ConnectOptions options, string root)
{
    /// <summary>How long a printed link works.</summary>
    public TimeSpan Lifetime => options.LinkLifetime;

    /// <summary>A link that connects an account of <paramref name="integration"/> and ends at <paramref name="redirectUri"/>.</summary>
    public string Url(string integration, string redirectUri)
    {
        var token = links.Create(new ConnectLink(Storage.StoredAccount.DefaultEnvironment, "sandbox", integration, redirectUri, time.GetUtcNow() + options.LinkLifetime));
        return QueryHelpers.AddQueryString($"{root}/connect/{Uri.EscapeDataString(integration)}", "link_token", token);
    }
}
