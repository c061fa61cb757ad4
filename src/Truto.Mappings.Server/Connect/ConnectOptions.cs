namespace Truto.Mappings.Server.Connect;

/// <summary>The <c>Connect</c> configuration section: where connect flows may end and how long their tokens live.</summary>
public sealed class ConnectOptions
{
    /// <summary>
    /// <c>Connect:AllowedRedirectUris:0</c>, <c>:1</c>, …: the only URIs a connect flow may send the
    /// browser back to, compared exactly (scheme, host, port, path and query). Empty: no flow can start.
    /// </summary>
    public IList<string> AllowedRedirectUris { get; } = [];

    /// <summary><c>Connect:StateLifetime</c> (10 min): how long a flow's <c>state</c> is accepted.</summary>
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary><c>Connect:LinkLifetime</c> (30 min): how long a connect link from <c>POST /connect-link</c> works.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>True when <paramref name="redirectUri"/> is listed exactly; no prefix or host matching, so no open redirect.</summary>
    public bool Allows(string? redirectUri)
        => redirectUri is { Length: > 0 } && AllowedRedirectUris.Any(allowed => string.Equals(allowed, redirectUri, StringComparison.Ordinal));
}
