using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Expressions;
using Truto.Mappings.Generator.Diagnostics;
using Truto.Mappings.Generator.Model;
using Truto.Mappings.OAuth;
using YamlDotNet.RepresentationModel;

namespace Truto.Mappings.Generator.Parsing;

/// <summary>
/// The <c>oauth2:</c> block: the provider's authorization-code flow. Its URLs are templates over
/// declared context keys (TM0019), shaped where they form the URL (TM0020), https without a query
/// (TM0024), the token URL inside <c>hosts</c> (TM0022, since the token request carries the client
/// secret); token values name declared keys (TM0025); the rest is checked as one declaration (TM0026).
/// </summary>
internal sealed partial class ProviderFileParser
{
    private const string OAuthKey = "oauth2";
    private const string AuthorizeUrlKey = OAuthKey + ".authorize_url";
    private const string TokenUrlKey = OAuthKey + ".token_url";
    private const string ScopesKey = OAuthKey + ".scopes";

    private static readonly string[] OAuthKeys =
    [
        "authorize_url", "token_url", "scopes", "scope_separator", "authorize_parameters", "pkce",
        "client_authentication", "request_encoding", "token_values", "callback_values", "expired_token_codes",
        "scope_on_token_requests",
        "app_registration_url", "app_scopes", "access_token_lifetime", "refresh_tokens",
    ];

    /// <summary>A documented lifetime: a whole number of seconds, minutes, hours or days (30m, 1h, 7d).</summary>
    private static readonly Regex Lifetime = new("^([1-9][0-9]{0,5})([smhd])$", RegexOptions.CultureInvariant);

    /// <summary>Parameters the connect flow writes itself; a YAML value could only break the flow.</summary>
    private static readonly string[] FlowParameters =
        ["response_type", "client_id", "client_secret", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"];

    /// <summary>The keys the token client writes itself (Truto's shape); a token value may not overwrite them.</summary>
    private static readonly string[] StandardTokenKeys =
        [OAuthContextKeys.AccessToken, OAuthContextKeys.RefreshToken, OAuthContextKeys.ExpiresAt, OAuthContextKeys.TokenType, OAuthContextKeys.Scope];

    /// <summary>A member of a (flat) token answer: what JSON names and RFC 6749 §5.1 uses.</summary>
    private static readonly Regex AnswerMemberName = new("^[A-Za-z_][A-Za-z0-9_-]*$", RegexOptions.CultureInvariant);

    /// <summary>A query parameter of the authorization response (Zoho's <c>accounts-server</c>).</summary>
    private static readonly Regex CallbackParameterName = new("^[A-Za-z_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant);

    /// <summary>Parameters of the authorization response the flow reads itself (RFC 6749 §4.1.2).</summary>
    private static readonly string[] CallbackFlowParameters = ["code", "state", "error", "error_description", "error_uri"];

    /// <summary>Where the oauth2 URLs stand, for the checks that need the parsed context section.</summary>
    private sealed record OAuthUrls(YamlScalarNode? AuthorizeNode, Template? Authorize, YamlScalarNode? TokenNode, Template? Token);

    private OAuthUrls? _oauthUrls;

    private OAuth2Spec? ParseOAuth2(YamlScalarNode key, YamlMappingNode node, ErrorSpec errors, List<DeclaredKey> declared)
    {
        var reader = new MappingReader(_context, node, OAuthKey, OAuthKeys);
        var valid = true;

        var authorizeNode = reader.Scalar("authorize_url", required: true);
        var tokenNode = reader.Scalar("token_url", required: true);
        var authorize = authorizeNode is null ? null : CollectOptional(_context.ParseTemplate(authorizeNode, AuthorizeUrlKey, TemplateUse.Url, PlaceholderSource.Context), authorizeNode, AuthorizeUrlKey);
        var token = tokenNode is null ? null : CollectOptional(_context.ParseTemplate(tokenNode, TokenUrlKey, TemplateUse.Url, PlaceholderSource.Context), tokenNode, TokenUrlKey);
        _oauthUrls = new OAuthUrls(authorizeNode, authorize, tokenNode, token);

        var separator = " ";
        if (reader.Get("scope_separator") is YamlScalarNode separatorNode)
        {
            // A space must be quoted (" "); a plain empty value reads as null.
            if (MappingReader.IsNull(separatorNode) || separatorNode.Value is not { Length: > 0 } text)
            {
                Invalid(separatorNode, "oauth2.scope_separator", "it is empty; expected the text that joins the scopes, quoted (' ', ',' or '+')");
                valid = false;
            }
            else
            {
                separator = text;
            }
        }
        else if (reader.Get("scope_separator") is { } notText)
        {
            _context.Report(DiagnosticDescriptors.WrongType, notText, "oauth2.scope_separator", "a text value", ParseContext.Describe(notText));
            valid = false;
        }

        var parameters = new List<NamedValue>();
        if (reader.Mapping("authorize_parameters") is { } parameterNode)
        {
            foreach (var (name, value) in new MappingReader(_context, parameterNode, "oauth2.authorize_parameters").Entries)
            {
                var where = "oauth2.authorize_parameters." + name.Value;
                if (FlowParameters.Contains(name.Value))
                {
                    Invalid(name, where, $"the connect flow sets '{name.Value}' itself ({string.Join(", ", FlowParameters)}); remove it (scopes go under oauth2.scopes)");
                    valid = false;
                }
                else if (value is not YamlScalarNode scalar || MappingReader.IsNull(scalar))
                {
                    _context.Report(DiagnosticDescriptors.WrongType, value, where, "a text value", ParseContext.Describe(value));
                    valid = false;
                }
                else if (scalar.Value!.Contains("{{"))
                {
                    Invalid(scalar, where, "authorize parameters are constants; expected text without {{…}} (offline, consent)");
                    valid = false;
                }
                else
                {
                    parameters.Add(new NamedValue(name.Value!, scalar.Value));
                }
            }
        }

        var pkce = reader.Bool("pkce") ?? false;
        var clientAuthentication = reader.OneOf("client_authentication", false, "body", "basic") == "basic" ? OAuthClientAuthentication.Basic : OAuthClientAuthentication.Body;
        var requestEncoding = reader.OneOf("request_encoding", false, "form", "json") == "json" ? OAuthRequestEncoding.Json : OAuthRequestEncoding.Form;
        var tokenValues = ParseValueMap(reader, "token_values", declared, ref valid);
        var callbackValues = ParseValueMap(reader, "callback_values", declared, ref valid);
        var scopes = ParseScopes(reader, separator, declared, tokenValues, callbackValues, ref valid);
        var scopeOnTokenRequests = reader.Bool("scope_on_token_requests") ?? false;

        var codes = reader.ScalarList("expired_token_codes").Select(s => s.Value!).Distinct(System.StringComparer.Ordinal).ToList();
        if (codes.Count > 0 && errors.CodePaths.Count == 0)
        {
            Invalid(reader.Get("expired_token_codes")!, "oauth2.expired_token_codes",
                "the codes are read with errors.code, which this file does not declare; add errors.code: the path to the provider's error code ($.code)");
            valid = false;
        }

        // The token client writes the access token to oauth.token.access_token: auth must send it from there.
        if (!_contextReads.Any(r => r.Key == OAuthContextKeys.AccessToken && r.Where.StartsWith("auth", System.StringComparison.Ordinal)))
        {
            Invalid(key, OAuthKey, $"auth does not read {{{{context.{OAuthContextKeys.AccessToken}}}}}, where the token client writes the access token; send it from there (token: \"{{{{context.{OAuthContextKeys.AccessToken}}}}}\")");
            valid = false;
        }
        // Account reads redact declared secrets only: the refresh token must be one.
        if (!declared.Any(d => d.Name == OAuthContextKeys.RefreshToken && d.Secret))
        {
            Invalid(key, OAuthKey, $"'{OAuthContextKeys.RefreshToken}' is not declared with secret: true, so account reads would show it; declare it under context: ({OAuthContextKeys.RefreshToken}: {{label: Refresh token, secret: true}})");
            valid = false;
        }

        var registration = ParseAppRegistrationUrl(reader, ref valid);
        var appScopes = ParseAppScopes(reader, scopes, ref valid);
        var lifetime = ParseAccessTokenLifetime(reader, ref valid);
        var refreshTokens = reader.OneOf("refresh_tokens", false, "kept", "rotated", "none") switch
        {
            "kept" => OAuthRefreshTokens.Kept,
            "rotated" => OAuthRefreshTokens.Rotated,
            "none" => OAuthRefreshTokens.None,
            _ => (OAuthRefreshTokens?)null,
        };

        return valid && authorize is not null && token is not null
            ? new OAuth2Spec(authorize, token, scopes.ToEquatableArray(), separator, parameters.ToEquatableArray(), pkce,
                clientAuthentication, requestEncoding, tokenValues.ToEquatableArray(), codes.ToEquatableArray(), callbackValues.ToEquatableArray())
            {
                ScopeOnTokenRequests = scopeOnTokenRequests,
                AppRegistrationUrl = registration,
                AppScopes = appScopes.ToEquatableArray(),
                AccessTokenLifetimeSeconds = lifetime,
                RefreshTokens = refreshTokens,
            }
            : null;
    }

    /// <summary>
    /// <c>scopes</c>: each a template over context keys (Entra ID's scope names the account's
    /// environment: <c>{{context.instance_url}}/user_impersonation</c>), as a URL is (no <c>??</c>).
    /// Its literal text has no white space nor the separator (one scope per item), it is listed once,
    /// and every key it reads is declared (TM0019), shaped (TM0020: the shapes admit no white space,
    /// so a value cannot add a scope), not secret (the scope travels in the authorize URL) and known
    /// when connecting, before the authorize redirect: a key the connect link carries
    /// (<c>context[key]=…</c>), not one the callback, the token answer or the token client writes (TM0026).
    /// </summary>
    private List<Template> ParseScopes(MappingReader reader, string separator, List<DeclaredKey> declared, List<NamedValue> tokenValues, List<NamedValue> callbackValues, ref bool valid)
    {
        var scopes = new List<Template>();
        foreach (var scope in reader.ScalarList("scopes"))
        {
            var text = scope.Value!;
            if (CollectOptional(_context.ParseTemplate(scope, ScopesKey, TemplateUse.Url, PlaceholderSource.Context), scope, ScopesKey) is not { } template)
            {
                valid = false;
                continue;
            }
            var literal = string.Concat(template.Parts.Select(p => p.Literal ?? ""));
            if (text.Length == 0 || literal.Any(char.IsWhiteSpace) || literal.Contains(separator))
            {
                Invalid(scope, ScopesKey, $"the scope '{text}' is empty, has white space or holds the separator '{separator}'; expected one scope per list item");
                valid = false;
            }
            else if (scopes.Any(s => s.Text == text))
            {
                Invalid(scope, ScopesKey, $"'{text}' is listed twice; expected each scope once");
                valid = false;
            }
            else if (ScopeKeysKnownWhenConnecting(scope, template, declared, tokenValues, callbackValues))
            {
                scopes.Add(template);
            }
            else
            {
                valid = false;
            }
        }
        return scopes;
    }

    /// <summary>The keys a scope reads are not secret and are known before the authorize redirect (TM0026 at the placeholder).</summary>
    private bool ScopeKeysKnownWhenConnecting(YamlScalarNode node, Template scope, List<DeclaredKey> declared, List<NamedValue> tokenValues, List<NamedValue> callbackValues)
    {
        var known = true;
        foreach (var placeholder in scope.Parts.Select(p => p.Placeholder).OfType<Placeholder>())
        {
            var key = placeholder.ContextKey;
            var writer = StandardTokenKeys.Contains(key) ? "the token client"
                : tokenValues.FirstOrDefault(v => v.Value == key) is { } answer ? $"oauth2.token_values ({answer.Name}, from the token answer)"
                : callbackValues.FirstOrDefault(v => v.Value == key) is { } callback ? $"oauth2.callback_values ({callback.Name}, from the redirect back)"
                : null;
            string? problem = declared.FirstOrDefault(d => d.Name == key) is { Secret: true }
                ? $"the scope reads '{key}', which is secret, and the scope travels in the authorize URL the browser and the provider see; expected a key that is not secret"
                : writer is not null
                    ? $"the scope reads '{key}', which {writer} writes after the user consents, but the authorize URL needs the scope before; expected a key the connect link carries (context[{key}]=…)"
                    : null;
            if (problem is not null)
            {
                _context.Report(DiagnosticDescriptors.InvalidOAuth, _context.LocateInScalar(node, placeholder.Offset), ScopesKey, problem);
                known = false;
            }
        }
        return known;
    }

    /// <summary>
    /// <c>app_registration_url</c>: a constant https URL without user info (TM0024), shown to people
    /// as a link; no template, since it is the same for every account.
    /// </summary>
    private string? ParseAppRegistrationUrl(MappingReader reader, ref bool valid)
    {
        if (reader.Scalar("app_registration_url") is not { } node || MappingReader.IsNull(node))
        {
            return null;
        }
        var text = node.Value!;
        if (!System.Uri.TryCreate(text, System.UriKind.Absolute, out var uri) || uri.Scheme != "https" || uri.UserInfo.Length > 0 || text.Contains("{{"))
        {
            _context.Report(DiagnosticDescriptors.InvalidOAuthUrl, node, OAuthKey + ".app_registration_url", text,
                "expected a constant https URL of the page where the OAuth app is registered (https://developer.example.com/apps)");
            valid = false;
            return null;
        }
        return text;
    }

    /// <summary>
    /// <c>app_scopes</c>: the scopes chosen in the app's settings, one per item (TM0026 for white
    /// space or duplicates), only where the authorize URL takes none: beside <c>scopes</c> they would
    /// be a second list of what the app is granted (TM0026).
    /// </summary>
    private List<string> ParseAppScopes(MappingReader reader, List<Template> scopes, ref bool valid)
    {
        var result = new List<string>();
        var items = reader.ScalarList("app_scopes");
        if (items.Count > 0 && scopes.Count > 0)
        {
            Invalid(reader.Get("app_scopes")!, OAuthKey + ".app_scopes",
                "the authorize URL asks for oauth2.scopes, which the app must grant; app_scopes is for providers whose apps choose their scopes (no oauth2.scopes)");
            valid = false;
            return result;
        }
        foreach (var scope in items)
        {
            var text = scope.Value!;
            if (text.Length == 0 || text.Any(char.IsWhiteSpace) || result.Contains(text))
            {
                Invalid(scope, OAuthKey + ".app_scopes", $"the scope '{text}' is empty, has white space or is listed twice; expected each scope once, one per list item");
                valid = false;
                continue;
            }
            result.Add(text);
        }
        return result;
    }

    /// <summary><c>access_token_lifetime</c>: <c>30m</c>, <c>1h</c>, <c>7d</c> (seconds, minutes, hours, days) or <c>never</c> (TM0026); the seconds, -1 for never.</summary>
    private long? ParseAccessTokenLifetime(MappingReader reader, ref bool valid)
    {
        if (reader.Scalar("access_token_lifetime") is not { } node || MappingReader.IsNull(node))
        {
            return null;
        }
        var text = node.Value!;
        if (text == "never")
        {
            return -1;
        }
        var match = Lifetime.Match(text);
        if (!match.Success)
        {
            Invalid(node, OAuthKey + ".access_token_lifetime", $"'{text}' is not a lifetime; expected a whole number and a unit, s, m, h or d (30m, 1h, 7d), or never");
            valid = false;
            return null;
        }
        var amount = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        return amount * match.Groups[2].Value switch { "s" => 1, "m" => 60, "h" => 3600, _ => 86400 };
    }

    /// <summary>
    /// <c>token_values</c> (token answer member → context key) or <c>callback_values</c>
    /// (authorization response parameter → context key): each writes a declared, provider-specific
    /// key, each key once (TM0025).
    /// </summary>
    private List<NamedValue> ParseValueMap(MappingReader reader, string section, List<DeclaredKey> declared, ref bool valid)
    {
        var result = new List<NamedValue>();
        if (reader.Mapping(section) is not { } node)
        {
            return result;
        }
        var callback = section == "callback_values";
        var names = declared.Select(d => d.Name).Where(n => !StandardTokenKeys.Contains(n)).ToArray();
        foreach (var (member, value) in new MappingReader(_context, node, "oauth2." + section).Entries)
        {
            var where = $"oauth2.{section}.{member.Value}";
            string? nameProblem = callback
                ? !CallbackParameterName.IsMatch(member.Value!)
                    ? $"'{member.Value}' is not a query parameter name; expected letters, digits, '_', '.' and '-' (accounts-server)"
                    : CallbackFlowParameters.Contains(member.Value)
                        ? $"the connect flow reads '{member.Value}' itself ({string.Join(", ", CallbackFlowParameters)}); expected a provider-specific parameter (accounts-server)"
                        : null
                : !AnswerMemberName.IsMatch(member.Value!)
                    ? $"'{member.Value}' is not a member name of the token answer; expected letters, digits, '_' and '-' (instance_url)"
                    : null;
            if (nameProblem is not null)
            {
                _context.Report(DiagnosticDescriptors.InvalidTokenValue, member, where, nameProblem);
                valid = false;
                continue;
            }
            if (value is not YamlScalarNode target || MappingReader.IsNull(target))
            {
                _context.Report(DiagnosticDescriptors.WrongType, value, where, callback ? "the context key the parameter is written to" : "the context key the member is written to", ParseContext.Describe(value));
                valid = false;
                continue;
            }
            var key = target.Value!;
            string? problem = null;
            if (StandardTokenKeys.Contains(key))
            {
                problem = $"'{key}' is written by the token client itself ({string.Join(", ", StandardTokenKeys)}); expected a provider-specific key ({(callback ? "accounts_server" : "instance_url")})";
            }
            else if (!_declaredNames.Contains(key))
            {
                problem = $"it writes context key '{key}', which the context section does not declare{MappingReader.Suggest(key, names)}; declare it under context: with a label (and its shape when a URL reads it)";
            }
            else if (result.FirstOrDefault(v => v.Value == key) is { } other)
            {
                problem = $"'{key}' is written by '{other.Name}' already; expected each context key once";
            }
            if (problem is not null)
            {
                _context.Report(DiagnosticDescriptors.InvalidTokenValue, target, where, problem);
                valid = false;
                continue;
            }
            result.Add(new NamedValue(member.Value!, key));
        }
        return result;
    }

    private void Invalid(YamlNode node, string where, string reason)
        => _context.Report(DiagnosticDescriptors.InvalidOAuth, node, where, reason);

    /// <summary>
    /// Notes a template's context reads for the declaration checks (TM0019, TM0020) without making
    /// the keys required: the OAuth URLs are used only when connecting or refreshing, so an account
    /// created with a pasted access token keeps working without them.
    /// </summary>
    private Template? CollectOptional(Template? template, YamlScalarNode node, string where)
    {
        foreach (var placeholder in template?.Parts.Select(p => p.Placeholder).OfType<Placeholder>() ?? [])
        {
            _contextReads.Add(new ContextRead(placeholder.ContextKey, _context.LocateInScalar(node, placeholder.Offset), where));
        }
        return template;
    }

    /// <summary>
    /// The URLs are https (a literal <c>https://</c>, or a leading https_origin key) with no query or
    /// fragment (TM0024: the flow adds its own parameters); the token URL's host lies inside hosts
    /// (TM0022), as base_url's does.
    /// </summary>
    private void CheckOAuthUrls(EquatableArray<string> hosts, List<ContextKeySpec> context)
    {
        if (_oauthUrls is not { } urls)
        {
            return;
        }
        if (urls.AuthorizeNode is not null && urls.Authorize is not null)
        {
            CheckOAuthUrl(urls.AuthorizeNode, urls.Authorize, AuthorizeUrlKey, context);
        }
        if (urls.TokenNode is not null && urls.Token is not null && CheckOAuthUrl(urls.TokenNode, urls.Token, TokenUrlKey, context))
        {
            CheckHostsCover(urls.TokenNode, urls.Token, hosts, context, TokenUrlKey);
        }
    }

    private bool CheckOAuthUrl(YamlScalarNode node, Template url, string where, List<ContextKeySpec> context)
    {
        var parts = url.Parts;
        var first = parts.Count > 0 ? parts[0] : null;
        var https = first?.Literal is { } literal
            ? literal.StartsWith("https://", System.StringComparison.Ordinal)
            : first?.Placeholder is { } placeholder && context.Any(k => k.Name == placeholder.ContextKey && k.Shape == ContextShapeKind.HttpsOrigin);
        if (!https)
        {
            _context.Report(DiagnosticDescriptors.InvalidOAuthUrl, node, where, url.Text,
                "expected an https URL (https://login.example.com/oauth/token), or a template that starts with a context key of shape https_origin");
            return false;
        }
        if (parts.Any(p => p.Literal is { } text && text.IndexOfAny(['?', '#']) >= 0))
        {
            _context.Report(DiagnosticDescriptors.InvalidOAuthUrl, node, where, url.Text,
                "expected a URL without query or fragment; the flow adds its own parameters, and extra ones go under oauth2.authorize_parameters");
            return false;
        }
        return true;
    }
}
