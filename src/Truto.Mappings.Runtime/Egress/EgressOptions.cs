namespace Truto.Mappings.Egress;

/// <summary>
/// Where provider calls may go besides the hosts each provider's YAML declares (configuration
/// <c>Egress:</c>). Simulators, proxies and tests live on hosts no YAML names, often on loopback:
/// listing their origin here is the only way an account can point at them.
/// </summary>
public sealed class EgressOptions
{
    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>, no path) an account's <c>base_url</c> or a URL-forming
    /// context key may name although no YAML declares the host (configuration
    /// <c>Egress:AllowedBaseUrls:0</c>, <c>…:1</c>, …). http is allowed for them, and the
    /// connect-time address guard lets them reach loopback and private addresses.
    /// </summary>
    public IList<string> AllowedBaseUrls { get; } = [];
}
