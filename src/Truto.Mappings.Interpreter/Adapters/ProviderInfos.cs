extern alias generator;

using System.Text.RegularExpressions;
using generator::Truto.Mappings.Generator.Model;
using generator::Truto.Mappings.Generator.Parsing;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Interpreter.Evaluation;
using Truto.Mappings.OAuth;

namespace Truto.Mappings.Interpreter.Adapters;

/// <summary>What an adapter and its operations tell about themselves, built as the emitter's <c>.Metadata</c> writes it.</summary>
internal static class ProviderInfos
{
    public static ProviderInfo From(ProviderSpec spec, IEnumerable<OperationInfo> operations) => new(
        spec.Name, spec.DisplayName, spec.DocsUrl, [.. spec.ContextKeys], [.. operations])
    {
        Rates = spec.RateLimit is { } rate
            ? [.. rate.Windows.Select(w => new RequestRate(w.Requests, TimeSpan.FromSeconds(w.PerSeconds), w.Burst) { Scope = w.PerApp ? RateLimitScope.App : RateLimitScope.Account })]
            : [],
        Context = [.. spec.Context.Select(k => new ContextKey(
            k.Name, SharedEnum.To<ContextValueType>(k.Type), k.Secret, k.Label, k.Help, k.Required,
            k.Shape is { } shape ? new ContextShape(SharedEnum.To<ContextShapeKind>(shape), [.. k.ShapeValues]) : null))],
        RequiredContextChoices = [.. spec.RequiredContextChoices.Select(c => (IReadOnlyList<string>)[.. c])],
        Hosts = [.. spec.Hosts],
        OAuth2 = spec.OAuth2 is { } oauth ? OAuth(oauth) : null,
    };

    private static OAuth2Info OAuth(OAuth2Spec oauth) => new(
        [.. oauth.Scopes.Select(s => s.Text)],
        oauth.ScopeSeparator,
        [.. oauth.AuthorizeParameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))],
        oauth.Pkce,
        SharedEnum.To<OAuthClientAuthentication>(oauth.ClientAuthentication),
        SharedEnum.To<OAuthRequestEncoding>(oauth.RequestEncoding),
        [.. oauth.TokenValues.Select(v => new OAuthTokenValue(v.Name, v.Value))],
        [.. oauth.ExpiredTokenCodes])
    {
        CallbackValues = [.. oauth.CallbackValues.Select(v => new OAuthCallbackValue(v.Name, v.Value))],
        ScopeContextKeys = [.. oauth.ScopeContextKeys],
        ScopeOnTokenRequests = oauth.ScopeOnTokenRequests,
        AppRegistrationUrl = oauth.AppRegistrationUrl,
        AppScopes = [.. oauth.AppScopes],
        AccessTokenLifetime = oauth.AccessTokenLifetimeSeconds switch
        {
            null => null,
            < 0 => Timeout.InfiniteTimeSpan,
            { } seconds => TimeSpan.FromSeconds(seconds),
        },
        RefreshTokens = oauth.RefreshTokens is { } refreshTokens ? SharedEnum.To<OAuthRefreshTokens>(refreshTokens) : null,
    };

    /// <summary>The resource's id pattern, anchored as the emitter anchors it, with the same match timeout.</summary>
    public static Regex? IdPattern(ProviderSpec spec)
        => spec.IdPattern is { } pattern ? new Regex(ProviderFileParser.AnchoredIdPattern(pattern), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)) : null;

    /// <summary>A batch's ids: required where the mapping sends them, accepted in the other place too.</summary>
    public static RequestFieldCoverage[] BatchRequestFields(BatchSpec batch)
    {
        var required = SharedEnum.To<FieldLocation>(batch.IdsRequiredIn);
        var optional = required == FieldLocation.Query ? FieldLocation.Body : FieldLocation.Query;
        return [new("id", required, true), new("id", optional, false)];
    }
}
