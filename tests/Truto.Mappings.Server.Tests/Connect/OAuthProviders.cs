using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;

namespace Truto.Mappings.Server.Tests.Connect;

/// <summary>
/// The OAuth providers the dialect tests run over, read from the sandbox (every simulator with an
/// authorization server) with each one's facts from its dialect, so a new OAuth provider is tested
/// by adding its simulator and dialect, not rows here.
/// </summary>
public static class OAuthProviders
{
    private static readonly IReadOnlyList<(string Name, OAuthDialect Dialect)> All =
        [.. ProviderSandbox.OAuthDialects.Select(p => (p.Key, p.Value))];

    /// <summary>Every provider whose simulator has an authorization server.</summary>
    public static IEnumerable<string> Names => All.Select(p => p.Name);

    /// <summary>Provider and the connect query its links carry (<c>&amp;context%5Bkey%5D=value</c>, from <see cref="OAuthDialect.ConnectContext"/>).</summary>
    public static TheoryData<string, string> WithConnectContext() => Data(All);

    /// <summary>As <see cref="WithConnectContext"/>, only the providers that issue refresh tokens.</summary>
    public static TheoryData<string, string> RefreshingWithConnectContext() => Data(All.Where(p => p.Dialect.IssuesRefreshTokens));

    /// <summary>Providers that issue refresh tokens.</summary>
    public static TheoryData<string> Refreshing() => [.. All.Where(p => p.Dialect.IssuesRefreshTokens).Select(p => p.Name)];

    /// <summary>Providers whose apps send a PKCE challenge (<see cref="OAuthDialect.UsesPkce"/>).</summary>
    public static TheoryData<string> WithPkce() => [.. All.Where(p => p.Dialect.UsesPkce).Select(p => p.Name)];

    /// <summary>Providers that take the client id and secret as HTTP Basic (<see cref="OAuthDialect.ClientAuthenticationIsBasic"/>).</summary>
    public static TheoryData<string> WithBasicClientAuthentication() => [.. All.Where(p => p.Dialect.ClientAuthenticationIsBasic).Select(p => p.Name)];

    /// <summary>Every provider's name.</summary>
    public static TheoryData<string> Every() => [.. Names];

    /// <summary>The dialect of <paramref name="provider"/>.</summary>
    public static OAuthDialect Dialect(string provider) => ProviderSandbox.OAuthDialects[provider];

    /// <summary>The query a connect link for <paramref name="provider"/> carries besides tenant and redirect.</summary>
    public static string ConnectQuery(string provider)
        => string.Concat(Dialect(provider).ConnectContext.Select(c => $"&context%5B{Uri.EscapeDataString(c.Key)}%5D={Uri.EscapeDataString(c.Value)}"));

    private static TheoryData<string, string> Data(IEnumerable<(string Name, OAuthDialect Dialect)> providers)
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, _) in providers)
        {
            data.Add(name, ConnectQuery(name));
        }
        return data;
    }
}
