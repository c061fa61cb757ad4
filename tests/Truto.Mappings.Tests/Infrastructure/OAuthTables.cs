using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Tests.Infrastructure;

/// <summary>
/// The OAuth tables of the READMEs, generated: one row per catalogue provider with an
/// <c>oauth2:</c> block. Every cell comes from data — the catalogue's <see cref="OAuth2Info"/> and
/// context declarations, and the YAML's <c>oauth2.token_url</c> and URL templates (the only place
/// they are written) — never from the YAML's comments.
/// </summary>
internal static partial class OAuthTables
{
    /// <summary>README.md, "Connecting accounts": what an operator registers per provider.</summary>
    public const string AppsBegin = "<!-- oauth-apps:begin (generated from the catalogue by OAuthTableTests; rewrite it with tests/refresh-snapshots.sh) -->";
    public const string AppsEnd = "<!-- oauth-apps:end -->";

    /// <summary>mappings/README.md, <c>oauth2</c>: what each shipped block declares about its tokens.</summary>
    public const string TokensBegin = "<!-- oauth-tokens:begin (generated from the catalogue by OAuthTableTests; rewrite it with tests/refresh-snapshots.sh) -->";
    public const string TokensEnd = "<!-- oauth-tokens:end -->";

    /// <summary>The oauth2 keys whose templates are read before any token exists.</summary>
    private static readonly string[] UrlKeys = ["authorize_url", "token_url"];

    public static string RenderApps(IReadOnlyList<ProviderAdapter> adapters)
    {
        var text = new StringBuilder("| provider (`{name}`) | where the app is registered | scopes to grant | values a connect needs |\n| --- | --- | --- | --- |\n");
        foreach (var (info, oauth) in OAuthProviders(adapters))
        {
            var registration = oauth.AppRegistrationUrl is { } url ? $"<{url}>" : "not declared";
            var scopes = oauth.Scopes.Count > 0
                ? string.Join(", ", oauth.Scopes.Select(s => $"`{s}`"))
                : string.Concat(oauth.AppScopes.Select(s => $"`{s}`, ")) + "chosen on the app (the authorize URL carries none)";
            text.Append(CultureInfo.InvariantCulture, $"| {info.DisplayName} (`{info.Name}`) | {registration} | {scopes} | {ConnectValues(info, oauth)} |\n");
        }
        return text.ToString();
    }

    public static string RenderTokens(IReadOnlyList<ProviderAdapter> adapters)
    {
        var text = new StringBuilder("| provider (`integration`) | token URL | access token lifetime | refresh tokens | client authentication |\n| --- | --- | --- | --- | --- |\n");
        foreach (var (info, oauth) in OAuthProviders(adapters))
        {
            var client = (oauth.ClientAuthentication == OAuthClientAuthentication.Basic ? "HTTP Basic" : "in the body") + (oauth.Pkce ? ", PKCE" : "");
            text.Append(CultureInfo.InvariantCulture, $"| {info.DisplayName} (`{info.Name}`) | `{TokenUrl(info.Name)}` | {Lifetime(oauth.AccessTokenLifetime)} | {RefreshTokens(oauth.RefreshTokens)} | {client} |\n");
        }
        return text.ToString();
    }

    private static IEnumerable<(ProviderInfo Info, OAuth2Info OAuth)> OAuthProviders(IReadOnlyList<ProviderAdapter> adapters)
        => adapters.Select(a => a.Info).Where(i => i.OAuth2 is not null).OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => (i, i.OAuth2!));

    /// <summary>
    /// The context keys the OAuth URLs and templated scopes read, which must be known before any token exists: those the
    /// provider's redirect back writes (<c>callback_values</c>), else what a connect link passes as
    /// <c>context[key]</c>, with the values a one_of shape allows.
    /// </summary>
    private static string ConnectValues(ProviderInfo info, OAuth2Info oauth)
    {
        var file = ProviderFiles.All.Single(p => p.Name == info.Name).Root;
        var keys = UrlKeys
            .Select(k => ProviderFiles.Scalar(file, "oauth2", k) ?? "")
            .SelectMany(url => ContextPlaceholder().Matches(url).Select(m => m.Groups["key"].Value))
            .Concat(oauth.ScopeContextKeys)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (keys.Count == 0)
        {
            return "none";
        }
        return string.Join("; ", keys.Select(key =>
        {
            if (oauth.CallbackValues.FirstOrDefault(v => v.ContextKey == key) is { } callback)
            {
                return $"`{key}` from the redirect's `{callback.Parameter}`";
            }
            var values = info.Context.SingleOrDefault(k => k.Name == key)?.Shape is { Kind: ContextShapeKind.OneOf } shape
                ? ": " + string.Join(" or ", shape.Values.Select(v => $"`{v}`"))
                : "";
            return $"`context[{key}]`{values}";
        }));
    }

    private static string TokenUrl(string name)
        => ProviderFiles.Scalar(ProviderFiles.All.Single(p => p.Name == name).Root, "oauth2", "token_url") ?? "";

    private static string Lifetime(TimeSpan? lifetime) => lifetime switch
    {
        null => "not declared (read from each answer's `expires_in`)",
        { } never when never == Timeout.InfiniteTimeSpan => "never expires",
        { TotalSeconds: var s } when s % 86400 == 0 && s >= 2 * 86400 => Count(s / 86400, "day"),
        { TotalSeconds: var s } when s % 3600 == 0 => Count(s / 3600, "hour"),
        { TotalSeconds: var s } when s % 60 == 0 => Count(s / 60, "minute"),
        { TotalSeconds: var s } => Count(s, "second"),
    };

    private static string Count(double amount, string unit)
        => string.Create(CultureInfo.InvariantCulture, $"{amount} {unit}{(amount == 1 ? "" : "s")}");

    private static string RefreshTokens(OAuthRefreshTokens? refreshTokens) => refreshTokens switch
    {
        OAuthRefreshTokens.Kept => "kept: one stays valid",
        OAuthRefreshTokens.Rotated => "rotated: each refresh answers a new one, stored in place of the old",
        OAuthRefreshTokens.None => "none issued: never refreshed",
        _ => "not declared",
    };

    [GeneratedRegex(@"\{\{\s*context\.(?<key>[A-Za-z0-9_.]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex ContextPlaceholder();
}
