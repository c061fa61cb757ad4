using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.OAuth;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Connect;

/// <summary>
/// The connect flow: starts it (an OAuth redirect with a single-use state and PKCE, or the API-key
/// form), ends it (the OAuth callback, the form's post) by creating the account with the same
/// validation as <c>POST /integrated-account</c>, and sends the browser back to the application.
/// The redirect URI is checked against <see cref="ConnectOptions.AllowedRedirectUris"/> before
/// anything else and again when the flow ends. A flow started for an existing account
/// (<c>integrated_account_id</c>) reconnects it instead: same id, its context updated, active again.
/// </summary>
public sealed class ConnectFlow(
    ITrutoStore store,
    ProviderCatalog catalog,
    AccountContextValidator validator,
    TimeProvider time,
    ConnectLinks links,
    ApiTokens tokens,
    IOptions<TrutoMappingsOptions> runtime,
    IOptions<ConnectOptions> options,
    IOptions<ServerOptions> server,
    IServiceProvider services)
{
    /// <summary>Where providers send the browser back to.</summary>
    public const string CallbackPath = "/connect/callback";

    // Expired states are kept a day so a late callback is told "expired", not "unknown".
    private static readonly TimeSpan ExpiredStatesKept = TimeSpan.FromDays(1);

    private ConnectOptions Options => options.Value;

    /// <summary><c>GET /connect/{integration}</c>.</summary>
    public async Task<IResult> StartAsync(string integration, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (starter, refused) = await StarterAsync(integration, request, cancellationToken);
        if (starter is null)
        {
            return refused!;
        }
        if (catalog.Find(integration) is not { } adapter)
        {
            return ConnectPages.Error(404, "Unknown integration", $"There is no integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}.");
        }
        var context = new JsonObject();
        if (ContextInput.Read(request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())), adapter.Info, context) is { } bad)
        {
            return ConnectPages.Error(400, "Invalid connect parameters", $"context[{bad.Key}]: {bad.Message}");
        }
        return adapter.Info.OAuth2 is { } oauth
            ? await BeginOAuthAsync(adapter, oauth, starter, context, request, cancellationToken)
            : Form(200, adapter, await NewStateAsync(adapter, starter, CallbackUri(request), new ConnectStatePayload(context, null, starter.AccountId), cancellationToken), context, [], null, null);
    }

    /// <summary><c>POST /connect/{integration}</c>: the API-key form, whose single-use state is its anti-forgery token.</summary>
    public async Task<IResult> SubmitFormAsync(string integration, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasFormContentType)
        {
            return ConnectPages.Error(400, "Invalid form", "The connect form must be posted as a form.");
        }
        var form = await request.ReadFormAsync(cancellationToken);
        var (state, refused) = await TakeStateAsync(form["state"].ToString(), cancellationToken);
        if (state is null)
        {
            return refused!;
        }
        if (state.Integration != integration || catalog.Find(integration) is not { } adapter || adapter.Info.OAuth2 is not null)
        {
            return ConnectPages.Error(400, "Invalid form", "This form does not belong to this integration.");
        }
        var payload = Payload(state);
        var starter = new ConnectStarter(state.Environment, state.TenantId, state.RedirectUri, payload.AccountId);
        var context = (JsonObject)payload.Context.DeepClone();
        var typed = form.Select(f => new KeyValuePair<string, string?>(f.Key, f.Value.ToString())).ToList();
        TrutoError? invalid;
        if (ContextInput.Read(typed, adapter.Info, context) is { } bad)
        {
            invalid = TrutoError.BadRequest("context." + bad.Key, bad.Message);
        }
        else
        {
            var (account, error) = await SaveAccountAsync(adapter, state, payload, context, cancellationToken);
            if (account is not null)
            {
                return Results.Redirect(Back(state.RedirectUri, ("integrated_account_id", account.Id)));
            }
            invalid = error!;
        }
        // The state was used up; the form comes back with a new one and the error next to its field.
        var next = await NewStateAsync(adapter, starter, state.CallbackUri, payload, cancellationToken);
        return Form(400, adapter, next, payload.Context, Typed(typed), FailedField(invalid), invalid.Message);
    }

    /// <summary><c>GET /connect/callback</c>: the provider's answer to the authorize request.</summary>
    public async Task<IResult> CallbackAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (state, refused) = await TakeStateAsync(request.Query["state"].ToString(), cancellationToken);
        if (state is null)
        {
            return refused!;
        }
        if (request.Query["error"].ToString() is { Length: > 0 } error)
        {
            // The provider's own code (access_denied when the user pressed Deny), passed on as it is.
            return Results.Redirect(Back(state.RedirectUri, ("error", Clip(error)), ("error_description", Clip(request.Query["error_description"].ToString()))));
        }
        if (request.Query["code"].ToString() is not { Length: > 0 } code)
        {
            return Results.Redirect(Back(state.RedirectUri, ("error", "invalid_request"), ("error_description", "The provider sent neither a code nor an error.")));
        }
        if (catalog.Find(state.Integration) is not { } adapter || services.GetService<IOAuthCodeExchange>() is not { } exchange)
        {
            return Results.Redirect(Back(state.RedirectUri, ("error", "server_error"), ("error_description", "This server cannot exchange codes for this integration.")));
        }
        var payload = Payload(state);
        var connectContext = (JsonObject)payload.Context.DeepClone();
        if (adapter.Info.OAuth2 is { } oauth && ReadCallbackValues(adapter, oauth, request.Query, connectContext) is { } refusedValue)
        {
            // Checked before the exchange: the token request (with the client secret) goes where these values say.
            return Results.Redirect(Back(state.RedirectUri, ("error", "invalid_callback"), ("error_description", Clip(refusedValue.Message))));
        }
        var result = await exchange.ExchangeCodeAsync(adapter, AccountContext.Parse(connectContext.ToJsonString()), code, state.CallbackUri, payload.CodeVerifier, cancellationToken);
        if (result.Error is { } failed || result.Context is not { } tokens)
        {
            return Results.Redirect(Back(state.RedirectUri, ("error", "token_exchange_failed"), ("error_description", Clip(result.Error?.Message ?? "The provider answered no tokens."))));
        }
        var (account, invalid) = await SaveAccountAsync(adapter, state, payload, JsonNode.Parse(tokens.GetRawText()), cancellationToken);
        return account is null
            ? Results.Redirect(Back(state.RedirectUri, ("error", "invalid_account"), ("error_description", Clip(invalid!.Message))))
            : Results.Redirect(Back(state.RedirectUri, ("integrated_account_id", account.Id)));
    }

    /// <summary>
    /// The answer of <c>POST /connect-link</c>: a signed link for one flow, or the error that refuses it.
    /// With <paramref name="accountId"/> the link reconnects that account (which the caller must see,
    /// of <paramref name="integration"/>; its tenant is kept).
    /// </summary>
    public async Task<(JsonObject? Answer, TrutoError? Error)> CreateLinkAsync(ApiCaller caller, string? integration, string? tenantId, string? redirectUri, string? accountId, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        if (!Options.Allows(redirectUri))
        {
            return (null, TrutoError.BadRequest("redirect_uri", "redirect_uri must be one of the URIs listed in Connect:AllowedRedirectUris (exact match)."));
        }
        if (catalog.Find(integration) is null)
        {
            return (null, TrutoError.BadRequest("integration", $"Unknown integration '{integration}'; known integrations: {string.Join(", ", catalog.Names)}."));
        }
        var (tenant, refused) = accountId is null
            ? AccountEndpoints.TenantFor(caller, tenantId)
            : await ReconnectTenantAsync(caller, accountId, integration!, tenantId, cancellationToken);
        if (refused is not null)
        {
            return (null, refused);
        }
        var link = new ConnectLink(caller.Environment, tenant, integration!, redirectUri!, time.GetUtcNow() + Options.LinkLifetime, accountId);
        var token = links.Create(link);
        var url = QueryHelpers.AddQueryString($"{PublicBase(request)}/connect/{Uri.EscapeDataString(link.Integration)}", "link_token", token);
        var answer = new JsonObject
        {
            ["link_token"] = token,
            ["url"] = url,
            ["integration"] = link.Integration,
            ["tenant_id"] = link.TenantId,
            ["expires_at"] = link.ExpiresAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (link.AccountId is { } reconnected)
        {
            answer["integrated_account_id"] = reconnected;
        }
        return (answer, null);
    }

    /// <summary>Who starts the flow: the redirect URI is checked first, then the link or the token.</summary>
    private async Task<(ConnectStarter? Starter, IResult? Refused)> StarterAsync(string integration, HttpRequest request, CancellationToken cancellationToken)
    {
        var redirectUri = request.Query["redirect_uri"].ToString() is { Length: > 0 } asked ? asked : null;
        if (redirectUri is not null && !Options.Allows(redirectUri))
        {
            return (null, RedirectNotAllowed());
        }
        var tenantId = request.Query["tenant_id"].ToString() is { Length: > 0 } tenant ? tenant : null;
        var accountId = request.Query["integrated_account_id"].ToString() is { Length: > 0 } account ? account : null;
        if (request.Query["link_token"].ToString() is { Length: > 0 } token)
        {
            if (links.Read(token) is not { } link)
            {
                return (null, ConnectPages.Error(401, "This connect link has expired", "The link is no longer valid (links work for a limited time). Ask the application for a new one."));
            }
            if (link.Integration != integration || (redirectUri ?? link.RedirectUri) != link.RedirectUri || (tenantId ?? link.TenantId) != link.TenantId
                || (accountId ?? link.AccountId) != link.AccountId)
            {
                return (null, ConnectPages.Error(400, "Invalid connect link", "The link was made for another integration, tenant, account or redirect URI."));
            }
            return Options.Allows(link.RedirectUri) ? (new ConnectStarter(link.Environment, link.TenantId, link.RedirectUri, link.AccountId), null) : (null, RedirectNotAllowed());
        }
        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (await tokens.AuthenticateAsync(bearer, cancellationToken) is not { } caller)
        {
            return (null, ConnectPages.Error(401, "Not authorised", "Open this page with a connect link (POST /connect-link), or send an API token with accounts:write."));
        }
        if (!caller.Has(ApiScopes.AccountsWrite))
        {
            return (null, ConnectPages.Error(403, "Not authorised", "This API token lacks the scope 'accounts:write'."));
        }
        if (redirectUri is null)
        {
            return (null, ConnectPages.Error(400, "Missing redirect_uri", "redirect_uri is required: where the browser goes back to once the account is connected."));
        }
        var (tenantFor, refused) = accountId is null
            ? AccountEndpoints.TenantFor(caller, tenantId)
            : await ReconnectTenantAsync(caller, accountId, integration, tenantId, cancellationToken);
        return refused is not null
            ? (null, ConnectPages.Error(refused.StatusCode, accountId is null ? "Not authorised" : "Cannot reconnect this account", refused.Message))
            : (ConnectStarter.From(caller, tenantFor, redirectUri, accountId), null);
    }

    /// <summary>
    /// The tenant of a flow that reconnects <paramref name="accountId"/>: the account's own, when the
    /// caller sees it and it is an account of <paramref name="integration"/> (a <paramref name="tenantId"/>
    /// given must be that tenant); otherwise the refusal (an account the caller cannot see is a 404, as everywhere).
    /// </summary>
    private async Task<(string? TenantId, TrutoError? Refused)> ReconnectTenantAsync(ApiCaller caller, string accountId, string integration, string? tenantId, CancellationToken cancellationToken)
    {
        if (await VisibleAccounts.FindAsync(store, caller, accountId, cancellationToken) is not { } account)
        {
            return (null, VisibleAccounts.NotFound(accountId));
        }
        if (account.Integration != integration)
        {
            return (null, TrutoError.BadRequest("integrated_account_id", $"The integrated account '{accountId}' is a {account.Integration} account, not {integration}."));
        }
        return tenantId is null || tenantId == account.TenantId
            ? (account.TenantId, null)
            : (null, TrutoError.BadRequest("tenant_id", "A reconnect keeps the account's tenant: tenant_id, when given, must be the account's."));
    }

    /// <summary>Creates the flow's account, or reconnects the one it was started for.</summary>
    private Task<(StoredAccount? Account, TrutoError? Error)> SaveAccountAsync(ProviderAdapter adapter, ConnectState state, ConnectStatePayload payload, JsonNode? context, CancellationToken cancellationToken)
        => payload.AccountId is { } accountId
            ? ReconnectAsync(adapter, state, accountId, context, cancellationToken)
            : AccountEndpoints.CreateAccountAsync(store, catalog, validator, time, state.Integration, state.TenantId, context, cancellationToken, environment: state.Environment);

    /// <summary>
    /// Reconnects an account in one transaction: the flow's context is merged into the stored one as a
    /// PATCH merges (keys the flow does not give, such as a <c>base_url</c> an operator set, stay), except
    /// that <c>oauth.token</c> is replaced whole (a refused refresh token must not outlive a new
    /// access token whose answer carried none); the result is validated like a new account's, and the
    /// account is active again with its id, tenant and environment. An account deleted, moved to another
    /// tenant or environment since the flow started is not written.
    /// </summary>
    private async Task<(StoredAccount? Account, TrutoError? Error)> ReconnectAsync(ProviderAdapter adapter, ConnectState state, string accountId, JsonNode? context, CancellationToken cancellationToken)
    {
        var gone = new TrutoError(404, $"The integrated account '{accountId}' no longer exists as it was when connecting started; connect a new account.");
        TrutoError? invalid = null;
        var updated = await store.ChangeAccountAsync(accountId, current =>
        {
            invalid = null;
            if (current.Environment != state.Environment || current.TenantId != state.TenantId || current.Integration != state.Integration)
            {
                invalid = gone;
                return null;
            }
            var stored = JsonNode.Parse(current.Context) as JsonObject ?? [];
            if (context is JsonObject { } given && given["oauth"] is JsonObject { } oauth && oauth.ContainsKey("token") && stored["oauth"] is JsonObject storedOAuth)
            {
                storedOAuth.Remove("token");
            }
            var merged = JsonMergePatch.Apply(stored, context);
            invalid = AccountContextRules.Validate(validator, adapter, merged);
            return invalid is null
                ? current with { Context = merged!.ToJsonString(), Status = StoredAccount.ActiveStatus, StatusMessage = null, StatusAt = null }
                : null;
        }, cancellationToken);
        if (invalid is not null)
        {
            return (null, invalid);
        }
        return updated is null ? (null, gone) : (updated, null);
    }

    private async Task<IResult> BeginOAuthAsync(ProviderAdapter adapter, OAuth2Info oauth, ConnectStarter starter, JsonObject context, HttpRequest request, CancellationToken cancellationToken)
    {
        var name = adapter.Info.Name;
        // Providers:{name}:ClientId and :AuthorizeUrl, bound by the runtime with the rest of the OAuth app.
        var client = runtime.Value.OAuthClients.TryGetValue(name, out var configured) ? configured : null;
        if (client?.ClientId is not { Length: > 0 } clientId)
        {
            return ConnectPages.Error(503, $"{adapter.Info.DisplayName} is not set up", $"The server has no OAuth client for {adapter.Info.DisplayName}: set Providers:{name}:ClientId and Providers:{name}:ClientSecret.");
        }
        string? authorizeUrl;
        try
        {
            authorizeUrl = client.AuthorizeUrl is { Length: > 0 } replaced
                ? replaced
                : adapter.BuildOAuthAuthorizeUrl(AccountContext.Parse(context.ToJsonString()));
        }
        catch (ContextKeyException missing)
        {
            return ConnectPages.Error(400, "Invalid connect parameters", $"context[{missing.Key}] is needed to connect {adapter.Info.DisplayName}: {missing.Message}");
        }
        if (authorizeUrl is null)
        {
            return ConnectPages.Error(503, $"{adapter.Info.DisplayName} is not set up", $"No authorize URL for {adapter.Info.DisplayName}: set Providers:{name}:AuthorizeUrl.");
        }
        // Built before any state is stored: a scope key missing from the link, or not of its shape, ends here.
        var (scope, invalidScope) = OAuthScope.Build(adapter, AccountContext.Parse(context.ToJsonString()), validator);
        if (invalidScope is not null)
        {
            return ConnectPages.Error(400, "Invalid connect parameters", invalidScope.Message);
        }
        var verifier = oauth.Pkce ? Pkce.NewRandom() : null;
        var callback = CallbackUri(request);
        var state = await NewStateAsync(adapter, starter, callback, new ConnectStatePayload(context, verifier, starter.AccountId), cancellationToken);
        var parameters = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new("client_id", clientId),
            new("redirect_uri", callback),
        };
        if (scope is not null)
        {
            parameters.Add(new("scope", scope));
        }
        parameters.AddRange(oauth.AuthorizeParameters.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value)));
        parameters.Add(new("state", state));
        if (verifier is not null)
        {
            parameters.Add(new("code_challenge", Pkce.Challenge(verifier)));
            parameters.Add(new("code_challenge_method", "S256"));
        }
        return Results.Redirect(QueryHelpers.AddQueryString(authorizeUrl, parameters));
    }

    /// <summary>
    /// Writes the authorization response's declared parameters (<c>oauth2.callback_values</c>: Zoho's
    /// <c>accounts-server</c>) into the connect context, over what the link gave; the error when one
    /// does not have its key's shape (a host not among a one_of's values is refused, so the code and
    /// the client secret never go to a server the YAML does not name). A URL sent for a one_of key
    /// (Zoho sends <c>https://accounts.zoho.eu</c>) is read as its host name.
    /// </summary>
    private TrutoError? ReadCallbackValues(ProviderAdapter adapter, OAuth2Info oauth, IQueryCollection query, JsonObject context)
    {
        var written = new List<string>();
        foreach (var value in oauth.CallbackValues)
        {
            if (query[value.Parameter].ToString() is not { Length: > 0 } text || adapter.Info.Context.FirstOrDefault(k => k.Name == value.ContextKey) is not { } key)
            {
                continue;
            }
            ContextInput.Set(context, key.Name, JsonValue.Create(key.Shape?.Kind == ContextShapeKind.OneOf ? HostOf(text) ?? text : text));
            written.Add(key.Name);
        }
        return written.Count == 0 ? null : validator.ValidateKeys(adapter, JsonSerializer.SerializeToElement(context), written);
    }

    /// <summary>The host of a bare https URL (<c>https://accounts.zoho.eu</c>: no user info, port, path, query or fragment), else null.</summary>
    private static string? HostOf(string text)
        => Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort
            && uri.UserInfo.Length == 0 && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0
            && text.TrimEnd('/').Length == ("https://" + uri.Host).Length
            ? uri.Host
            : null;

    private async Task<string> NewStateAsync(ProviderAdapter adapter, ConnectStarter starter, string callbackUri, ConnectStatePayload payload, CancellationToken cancellationToken)
    {
        var value = Pkce.NewRandom();
        var now = time.GetUtcNow();
        await store.AddConnectStateAsync(
            new ConnectState(Pkce.Hash(value), starter.Environment, starter.TenantId, adapter.Info.Name, starter.RedirectUri, callbackUri, JsonSerializer.Serialize(payload), now, now + Options.StateLifetime),
            now - ExpiredStatesKept, cancellationToken);
        return value;
    }

    /// <summary>Takes the state (single use); unknown, replayed and expired states end on an error page, never a redirect.</summary>
    private async Task<(ConnectState? State, IResult? Refused)> TakeStateAsync(string value, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(value))
        {
            return (null, ConnectPages.Error(400, "Missing state", "The request carries no state; start connecting again from the application."));
        }
        if (await store.TakeConnectStateAsync(Pkce.Hash(value), cancellationToken) is not { } state)
        {
            return (null, ConnectPages.Error(400, "Unknown or used state", "This connect attempt is unknown or was already used; start connecting again from the application."));
        }
        if (state.ExpiresAt <= time.GetUtcNow())
        {
            return (null, ConnectPages.Error(400, "This connect attempt has expired", $"Connecting must be finished within {Options.StateLifetime.TotalMinutes:0} minutes; start again from the application."));
        }
        return Options.Allows(state.RedirectUri) ? (state, null) : (null, RedirectNotAllowed());
    }

    private static ConnectStatePayload Payload(ConnectState state)
        => JsonSerializer.Deserialize<ConnectStatePayload>(state.Payload) ?? throw new InvalidOperationException("A stored connect state has no payload.");

    private static IResult RedirectNotAllowed()
        => ConnectPages.Error(400, "Redirect URI not allowed", "redirect_uri is not one of the URIs this server may send you back to (Connect:AllowedRedirectUris).");

    /// <summary>The API-key form; keys the flow was started with (<c>context[…]</c> query values, carried in the state) get no input.</summary>
    private static IResult Form(int status, ProviderAdapter adapter, string state, JsonObject given, IEnumerable<KeyValuePair<string, string?>> typed, string? failedKey, string? error)
    {
        var values = typed.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        var carried = AccountContext.Parse(given.ToJsonString());
        var fields = adapter.Info.Context.Where(key => carried.Find(key.Name) is null).Select(key => new ConnectFormField(
            ContextInput.Prefix + key.Name + "]",
            "context-" + key.Name.Replace('.', '-'),
            key.Label,
            key.Help,
            key.Secret ? "password" : key.Type switch { ContextValueType.Number => "number", ContextValueType.Boolean => "checkbox", _ => "text" },
            key.Required,
            key.Secret ? null : values.GetValueOrDefault(key.Name),
            key.Name == failedKey ? error : null)).ToList();
        var general = failedKey is not null && fields.Any(f => f.Error is not null) ? null : error;
        return ConnectPages.Form(status, new ConnectFormModel(adapter.Info.DisplayName, adapter.Info.Name, state, fields, general));
    }

    /// <summary>The typed values by context key, to show them again.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> Typed(IEnumerable<KeyValuePair<string, string?>> form)
        => form.Where(f => f.Key.StartsWith(ContextInput.Prefix, StringComparison.Ordinal) && f.Key.EndsWith(']'))
            .Select(f => new KeyValuePair<string, string?>(f.Key[ContextInput.Prefix.Length..^1], f.Value));

    /// <summary>The context key a validation error names (<c>context.api_key</c> → <c>api_key</c>).</summary>
    private static string? FailedField(TrutoError error)
    {
        if (error.Details is not { } details || !details.TryGetProperty("failures", out var failures) || failures.GetArrayLength() == 0)
        {
            return null;
        }
        var field = failures[0].GetProperty("field").GetString();
        return field is not null && field.StartsWith("context.", StringComparison.Ordinal) ? field["context.".Length..] : null;
    }

    private string CallbackUri(HttpRequest request) => PublicBase(request) + CallbackPath;

    private string PublicBase(HttpRequest request)
        => server.Value.PublicUrl is { } configured ? configured.ToString().TrimEnd('/') : $"{request.Scheme}://{request.Host}";

    private static string Back(string redirectUri, params (string Name, string Value)[] parameters)
        => QueryHelpers.AddQueryString(redirectUri, parameters.Select(p => new KeyValuePair<string, string?>(p.Name, p.Value)));

    private static string Clip(string text) => text.Length <= 300 ? text : text[..300];
}
