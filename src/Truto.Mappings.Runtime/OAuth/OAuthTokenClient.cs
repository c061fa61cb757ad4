using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Talks to providers' token endpoints: the <c>authorization_code</c> grant that connects an account
/// (<see cref="IOAuthCodeExchange"/>) and the <c>refresh_token</c> grant that keeps it valid. Requests
/// are form- or JSON-encoded and carry the client credentials in the body or as HTTP Basic, as the
/// provider's <see cref="OAuth2Info"/> says; the credentials come from configuration
/// (<see cref="TrutoMappingsOptions.OAuthClients"/>). The token URL is configuration's
/// <c>Providers:{name}:TokenUrl</c> (trusted) or the YAML's, checked like a provider base URL, and the
/// request goes through the provider HttpClient, whose connections the egress guard checks. Where the
/// provider wants it (<see cref="OAuth2Info.ScopeOnTokenRequests"/>), both grants send the account's
/// <c>scope</c> (<see cref="OAuthScope"/>).
/// </summary>
/// <remarks>
/// A 5xx answer or a connection that failed before the request was sent is tried again within
/// <see cref="TrutoMappingsOptions.MaxAttempts"/> and the caller's deadline (502 after that); a timeout
/// or a connection broken after sending is a 504/502 at once, because the provider may already have
/// used the code or rotated the refresh token; <c>invalid_grant</c> or a 400/401 is the provider
/// refusing the grant (<see cref="OAuthTokenOutcome.Rejected"/>), except <c>invalid_client</c> and
/// <c>unauthorized_client</c>, which blame the configured app (a 502), not the account. Secrets (client secret, codes,
/// tokens) are never logged nor put in an error.
/// </remarks>
public sealed partial class OAuthTokenClient : IOAuthCodeExchange
{
    private readonly IHttpClientFactory _clients;
    private readonly TrutoMappingsOptions _options;
    private readonly EgressPolicy _egress;
    private readonly AccountContextValidator _validator;
    private readonly TimeProvider _time;
    private readonly ILogger<OAuthTokenClient> _logger;

    internal OAuthTokenClient(IHttpClientFactory clients, IOptions<TrutoMappingsOptions> options, EgressPolicy egress, AccountContextValidator validator, TimeProvider time, ILogger<OAuthTokenClient> logger)
    {
        _clients = clients;
        _options = options.Value;
        _egress = egress;
        _validator = validator;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<OAuthExchangeResult> ExchangeCodeAsync(ProviderAdapter provider, AccountContext connectContext, string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(connectContext);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(redirectUri);
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri),
        };
        if (codeVerifier is not null)
        {
            parameters.Add(new("code_verifier", codeVerifier));
        }
        var outcome = await RequestAsync(provider, connectContext, parameters, cancellationToken).ConfigureAwait(false);
        return new OAuthExchangeResult(outcome.Context?.Root, outcome.Error);
    }

    /// <summary>Sends the <c>refresh_token</c> grant with the account's refresh token; the new context keeps every other key.</summary>
    internal Task<OAuthTokenOutcome> RefreshAsync(ProviderAdapter provider, AccountContext context, CancellationToken cancellationToken)
    {
        if (context.Find(OAuthContextKeys.RefreshToken) is not { } refreshToken)
        {
            return Task.FromResult(OAuthTokenOutcome.Refused(new TrutoError(401, $"The {provider.Info.DisplayName} account has no refresh token ({OAuthContextKeys.RefreshToken}); reconnect the account."), "no refresh token"));
        }
        return RequestAsync(provider, context, [new("grant_type", "refresh_token"), new("refresh_token", refreshToken)], cancellationToken);
    }

    private async Task<OAuthTokenOutcome> RequestAsync(ProviderAdapter provider, AccountContext context, List<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var name = provider.Info.Name;
        var display = provider.Info.DisplayName;
        if (provider.Info.OAuth2 is not { } info)
        {
            return OAuthTokenOutcome.Failed(TrutoError.BadRequest("integration", $"{display} does not declare OAuth 2.0 (no oauth2 block in its mapping)."));
        }
        _options.OAuthClients.TryGetValue(name, out var client);
        if (client?.ClientId is not { Length: > 0 } clientId || client.ClientSecret is not { Length: > 0 } clientSecret)
        {
            return OAuthTokenOutcome.Failed(new TrutoError(500, $"No OAuth app is configured for {display}: set Providers:{name}:ClientId and Providers:{name}:ClientSecret."));
        }
        var (tokenUrl, refused) = ResolveTokenUrl(provider, context, client.TokenUrl);
        if (tokenUrl is null)
        {
            return OAuthTokenOutcome.Failed(refused!);
        }
        if (info.ScopeOnTokenRequests)
        {
            // Entra ID v2: the scope again, built from the account's context as at the authorize redirect.
            var (scope, invalid) = OAuthScope.Build(provider, context, _validator);
            if (invalid is not null)
            {
                return OAuthTokenOutcome.Failed(invalid);
            }
            if (scope is not null)
            {
                parameters.Add(new("scope", scope));
            }
        }
        if (info.ClientAuthentication == OAuthClientAuthentication.Body)
        {
            parameters.Add(new("client_id", clientId));
            parameters.Add(new("client_secret", clientSecret));
        }
        var grant = parameters[0].Value;
        var http = _clients.CreateClient(ProviderTransport.ClientName);
        // A plain loop, not the Polly pipeline ProviderTransport builds: whether an attempt may be
        // repeated depends on how far the request got (a 5xx answer or a connection refused before
        // sending: yes; a timeout or a connection broken after sending: never, the provider may have
        // used the code or rotated the refresh token; an egress refusal or an oversized answer: never)
        // and on the interpreted answer, not on the HttpResponseMessage a pipeline's ShouldHandle sees.
        // The provider pipeline also carries what a token request must not have: Retry-After waits,
        // the per-account rate limit and circuit breaker. Expressed in Polly this would need every
        // exception turned into an outcome first; the loop keeps each rule in one visible place.
        var attempts = Math.Max(1, _options.MaxAttempts);
        TrutoError? last = null;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1)
            {
                var delay = _options.RetryBaseDelay * Math.Pow(2, attempt - 2);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            using var request = BuildRequest(tokenUrl, parameters, info, clientId, clientSecret);
            using var timeout = new CancellationTokenSource(_options.ProviderTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
                await ResponseBody.BufferAsync(response, _options.MaxResponseBytes, linked.Token).ConfigureAwait(false);
                var body = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                LogAnswer(_logger, name, grant, status);
                var outcome = Interpret(provider, info, context, status, body);
                if (outcome.Error is { StatusCode: 502 } && status >= 500)
                {
                    last = outcome.Error;
                    continue;
                }
                return outcome;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Not tried again: the provider may have used the code or rotated the refresh token
                // already, and a second request with the old one would be refused and mark the account.
                LogFailure(_logger, name, grant, "timeout");
                return OAuthTokenOutcome.Failed(new TrutoError(504, $"The token endpoint of {display} did not answer within {Deadline.Format(_options.ProviderTimeout)} (Runtime:ProviderTimeout)."));
            }
            catch (ResponseTooLargeException)
            {
                LogFailure(_logger, name, grant, "answer too large");
                return OAuthTokenOutcome.Failed(new TrutoError(502, $"The token endpoint of {display} answered with more than {_options.MaxResponseBytes} bytes.") { IsRemoteError = true });
            }
            catch (HttpRequestException e) when (EgressRefusedException.FoundIn(e) is { } refusal)
            {
                LogFailure(_logger, name, grant, "refused by the egress policy");
                return OAuthTokenOutcome.Failed(new TrutoError(502, $"The token endpoint of {display} was not called: {refusal.Message}"));
            }
            catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailure(_logger, name, grant, e.HttpRequestError.ToString());
                last = new TrutoError(502, $"The token endpoint of {display} could not be reached ({e.HttpRequestError}).");
                // Only a request that certainly never arrived is sent again (see the timeout above).
                if (!ProviderTransport.FailedBeforeSending(e))
                {
                    return OAuthTokenOutcome.Failed(last);
                }
            }
        }
        return OAuthTokenOutcome.Failed(last!);
    }

    private (string? Url, TrutoError? Error) ResolveTokenUrl(ProviderAdapter provider, AccountContext context, string? configured)
    {
        if (configured is { Length: > 0 })
        {
            return Uri.TryCreate(configured, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? (configured, null)
                : (null, new TrutoError(500, $"The configured token URL for {provider.Info.DisplayName} (Providers:{provider.Info.Name}:TokenUrl) is not an absolute http(s) URL."));
        }
        try
        {
            if (provider.BuildOAuthTokenUrl(context) is not { } built)
            {
                return (null, TrutoError.BadRequest("integration", $"{provider.Info.DisplayName} declares no token URL."));
            }
            // The YAML's token URL may be built from context keys (Zoho's data centre): checked like a base URL.
            return _egress.CheckAccountUrl(provider.Info, built, "oauth2.token_url") is { } refused ? (null, refused) : (built, null);
        }
        catch (ContextKeyException e)
        {
            return (null, TrutoError.BadRequest("context." + e.Key, e.Message));
        }
    }

    private static HttpRequestMessage BuildRequest(string tokenUrl, List<KeyValuePair<string, string>> parameters, OAuth2Info info, string clientId, string clientSecret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (info.ClientAuthentication == OAuthClientAuthentication.Basic)
        {
            // RFC 6749 §2.3.1: each part form-encoded before Base64.
            var pair = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(clientSecret);
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        request.Content = info.RequestEncoding == OAuthRequestEncoding.Json
            ? new StringContent(JsonSerializer.Serialize(parameters.ToDictionary(p => p.Key, p => p.Value)), Encoding.UTF8, "application/json")
            : new FormUrlEncodedContent(parameters);
        return request;
    }

    private OAuthTokenOutcome Interpret(ProviderAdapter provider, OAuth2Info info, AccountContext context, int status, byte[] body)
    {
        var display = provider.Info.DisplayName;
        JsonElement? answer = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            answer = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON: judged by its status alone below.
        }
        var error = answer is { ValueKind: JsonValueKind.Object } a && a.TryGetProperty("error", out var e) ? Describe(a, e) : null;
        if (status is >= 200 and < 300 && error is null && answer is { } issued
            && OAuthContextWriter.Apply(context, issued, info, _time.GetUtcNow()) is { } updated)
        {
            return OAuthTokenOutcome.Issued(updated);
        }
        // The operator's app credentials, not the account's grant: marking every account would be wrong.
        if (answer is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("error", out var code) && code.ValueKind == JsonValueKind.String
            && code.GetString() is "invalid_client" or "unauthorized_client")
        {
            return OAuthTokenOutcome.Failed(new TrutoError(502, $"{display} refused this server's OAuth app ({error}); check Providers:{provider.Info.Name}:ClientId and :ClientSecret.") { IsRemoteError = true });
        }
        // Some providers (Zoho) answer 200 with an error member; RFC 6749 §5.2 says 400 (401 for client auth).
        if (status is 400 or 401 || (status is >= 200 and < 300 && error is not null))
        {
            var reason = error ?? "HTTP " + status;
            return OAuthTokenOutcome.Refused(new TrutoError(401, $"{display} refused the OAuth grant ({reason}); the account must be reconnected.") { IsRemoteError = true }, reason);
        }
        return OAuthTokenOutcome.Failed(new TrutoError(502, status is >= 200 and < 300
            ? $"The token endpoint of {display} answered without an access token."
            : $"The token endpoint of {display} answered {status}{(error is null ? "" : " (" + error + ")")}.") { IsRemoteError = true });
    }

    /// <summary>The provider's error as <c>invalid_grant: message</c>; only the standard members, which carry no secret.</summary>
    private static string Describe(JsonElement answer, JsonElement error)
    {
        var code = error.ValueKind == JsonValueKind.String ? error.GetString() : error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.ToString() : error.GetRawText();
        var description = answer.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        return description is { Length: > 0 } ? $"{code}: {description}" : code ?? "error";
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "{Provider} token endpoint ({Grant}) answered {Status}")]
    private static partial void LogAnswer(ILogger logger, string provider, string grant, int status);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "{Provider} token endpoint ({Grant}) failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string provider, string grant, string reason);
}
