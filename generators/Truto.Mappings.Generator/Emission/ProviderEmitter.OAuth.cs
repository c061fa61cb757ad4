using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Truto.Mappings.Generator.Model;

namespace Truto.Mappings.Generator.Emission;

/// <summary>The <c>oauth2:</c> block: <c>ProviderInfo.OAuth2</c>, the authorize and token URL builders, and the scope builder where a scope reads the context.</summary>
internal sealed partial class ProviderEmitter
{
    /// <summary>The <c>OAuth2 = new OAuth2Info(…)</c> initializer line, written inside <c>Info</c>.</summary>
    private void WriteOAuth2Info(OAuth2Spec oauth)
    {
        var parameters = string.Join(", ", oauth.AuthorizeParameters.Select(p => $"new({CodeWriter.Literal(p.Name)}, {CodeWriter.Literal(p.Value)})"));
        var tokenValues = string.Join(", ", oauth.TokenValues.Select(v => $"new({CodeWriter.Literal(v.Name)}, {CodeWriter.Literal(v.Value)})"));
        var callbackValues = string.Join(", ", oauth.CallbackValues.Select(v => $"new({CodeWriter.Literal(v.Name)}, {CodeWriter.Literal(v.Value)})"));
        _code.Line("OAuth2 = new OAuth2Info(");
        _code.Line($"    {StringArray(oauth.Scopes.Select(s => s.Text))},");
        _code.Line($"    {CodeWriter.Literal(oauth.ScopeSeparator)},");
        _code.Line($"    new Generic.KeyValuePair<string, string>[] {{ {parameters} }},");
        _code.Line($"    {Bool(oauth.Pkce)},");
        _code.Line($"    {Member(oauth.ClientAuthentication)},");
        _code.Line($"    {Member(oauth.RequestEncoding)},");
        _code.Line($"    new OAuthTokenValue[] {{ {tokenValues} }},");
        // The init-only members, each only when it differs from its default.
        var initializers = new List<string>();
        if (oauth.CallbackValues.Count > 0)
        {
            initializers.Add($"CallbackValues = new OAuthCallbackValue[] {{ {callbackValues} }}");
        }
        if (oauth.ScopesReadContext)
        {
            initializers.Add($"ScopeContextKeys = {StringArray(oauth.ScopeContextKeys)}");
        }
        if (oauth.ScopeOnTokenRequests)
        {
            initializers.Add($"ScopeOnTokenRequests = {Bool(true)}");
        }
        if (oauth.AppRegistrationUrl is { } registration)
        {
            initializers.Add($"AppRegistrationUrl = {CodeWriter.Literal(registration)}");
        }
        if (oauth.AppScopes.Count > 0)
        {
            initializers.Add($"AppScopes = {StringArray(oauth.AppScopes)}");
        }
        if (oauth.AccessTokenLifetimeSeconds is { } seconds)
        {
            initializers.Add(seconds < 0
                ? "AccessTokenLifetime = Timeout.InfiniteTimeSpan"
                : $"AccessTokenLifetime = TimeSpan.FromSeconds({seconds.ToString(CultureInfo.InvariantCulture)})");
        }
        if (oauth.RefreshTokens is { } refreshTokens)
        {
            initializers.Add($"RefreshTokens = {Member(refreshTokens)}");
        }
        if (initializers.Count == 0)
        {
            _code.Line($"    {StringArray(oauth.ExpiredTokenCodes)}),");
            return;
        }
        _code.Line($"    {StringArray(oauth.ExpiredTokenCodes)})");
        _code.Line("{");
        foreach (var initializer in initializers)
        {
            _code.Line($"    {initializer},");
        }
        _code.Line("},");
    }

    /// <summary>The URL builders, compiled from the templates as base_url is (context values go in as they are: their shapes keep them in place).</summary>
    private void WriteOAuthUrls()
    {
        if (_provider.OAuth2 is not { } oauth)
        {
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line("public override string? BuildOAuthAuthorizeUrl(AccountContext context)");
        _code.Line($"    => {Text(oauth.AuthorizeUrl, TextPlace.Url, "context", null)};");
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line("public override string? BuildOAuthTokenUrl(AccountContext context)");
        _code.Line($"    => {Text(oauth.TokenUrl, TextPlace.Url, "context", null)};");
        if (!oauth.ScopesReadContext)
        {
            // Constant scopes: the base class joins OAuth2Info.Scopes.
            return;
        }
        _code.Line();
        _code.Line("/// <inheritdoc />");
        _code.Line("public override string? BuildOAuthScope(AccountContext context)");
        _code.Line($"    => {Text(oauth.JoinedScope, TextPlace.Plain, "context", null)};");
    }
}
