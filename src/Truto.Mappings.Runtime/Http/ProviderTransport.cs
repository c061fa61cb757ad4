using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Truto.Mappings.Adapters;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;
using Truto.Mappings.Telemetry;

namespace Truto.Mappings.Http;

/// <summary>One provider call: where, what, and the caller's pass-through additions.</summary>
/// <param name="Provider">The integration name (for logs and rate limiting).</param>
/// <param name="Account">The integrated account's id (rate limits are per account).</param>
/// <param name="Rates">The request-rate windows the provider's YAML declares (empty: none).</param>
/// <param name="BaseUrl">The provider's base URL for the account.</param>
/// <param name="Request">The request the adapter built.</param>
/// <param name="RemoteQuery">The caller's <c>remote_query</c>; wins over mapped parameters.</param>
/// <param name="RemoteData">The caller's <c>remote_data</c>; deep-merged over a JSON object body.</param>
internal sealed record ProviderCall(
    string Provider,
    string Account,
    IReadOnlyList<RequestRate> Rates,
    string BaseUrl,
    ProviderRequest Request,
    IReadOnlyList<KeyValuePair<string, string>> RemoteQuery,
    JsonElement? RemoteData)
{
    /// <summary>
    /// The operation's <see cref="OperationInfo.Idempotent"/>: only then is an attempt that may
    /// have reached the provider (it timed out, TLS failed, the answer broke off) tried again.
    /// </summary>
    public bool Idempotent { get; init; }
}

/// <summary>
/// Sends provider calls through <see cref="IHttpClientFactory"/> with the retry rules of
/// TRUTO-SEMANTICS.md: Retry-After honoured within a wait budget, back-off for 502/504 and for
/// failures before the request went out, a retry after a timeout only for idempotent calls, a
/// timeout per attempt (rate-limit queueing is outside it), the account's circuit breaker, and the
/// call's total deadline around all of it. Secret headers are sent but never logged.
/// </summary>
/// <remarks>
/// Per call: retry → circuit breaker → wait for the rate limit → attempt timeout → send (and read
/// the body, or its first bytes for <c>stream</c>), all under the deadline's token.
/// </remarks>
internal sealed partial class ProviderTransport(
    IHttpClientFactory clients,
    IOptions<TrutoMappingsOptions> options,
    ILogger<ProviderTransport> logger,
    TimeProvider time,
    IProviderRateLimiter limiters,
    ProviderCircuitBreakers breakers)
{
    /// <summary>The name of the HttpClient provider calls use.</summary>
    public const string ClientName = "Truto.Mappings.Providers";

    private readonly TrutoMappingsOptions _options = options.Value;

    /// <summary>The call a retry decides about, and the retry waits it has spent so far (within <see cref="TrutoMappingsOptions.MaxRetryWait"/>).</summary>
    private static readonly ResiliencePropertyKey<CallState> CallKey = new("truto.call");

    private readonly ResiliencePipeline<HttpResponseMessage> _attempt = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
        .AddTimeout(options.Value.ProviderTimeout)
        .Build();

    // Built once for the transport's options (not per call): what differs per call rides in the ResilienceContext.
    // Built on first use (it needs the logger and options); two first calls at once may each build an equal one.
    private ResiliencePipeline<HttpResponseMessage>? _retry;

    private ResiliencePipeline<HttpResponseMessage> Retry => _retry ??= BuildRetry();

    /// <summary>Sends the call within <paramref name="deadline"/>; a passed deadline is a 504, the caller's cancellation throws.</summary>
    public async Task<ProviderResponse> SendAsync(ProviderCall call, bool stream, Deadline deadline)
    {
        // One span and one measurement per call around every attempt and wait; null while no one listens.
        using var telemetry = ProviderCallScope.Start(call, time);
        var response = await SendAttemptsAsync(call, stream, deadline, telemetry).ConfigureAwait(false);
        telemetry?.End(response);
        return response;
    }

    private async Task<ProviderResponse> SendAttemptsAsync(ProviderCall call, bool stream, Deadline deadline, ProviderCallScope? telemetry)
    {
        var uri = BuildUri(call);
        var body = MergeBody(call.Request.Body, call.RemoteData);
        var client = clients.CreateClient(ClientName);
        var started = time.GetTimestamp();
        var breaker = breakers.For(call.Provider, call.Account);
        var context = ResilienceContextPool.Shared.Get(deadline.Token);
        context.Properties.Set(CallKey, new CallState(call));
        try
        {
            var message = await Retry.ExecuteAsync(
                (resilience, _) => breaker.ExecuteAsync(
                    async breakerToken =>
                    {
                        // Outside the attempt timeout: a long queue for the account's rate limit is not a slow provider.
                        if (call.Rates.Count > 0)
                        {
                            var queued = time.GetTimestamp();
                            // A wait longer than the deadline leaves is refused now, not waited into a 504.
                            await limiters.WaitAsync(call.Provider, call.Account, call.Rates, deadline.Remaining, breakerToken).ConfigureAwait(false);
                            RuntimeMetrics.RateLimitWaited(call.Provider, time.GetElapsedTime(queued));
                        }
                        telemetry?.Attempt();
                        return await _attempt.ExecuteAsync(
                            async attemptToken =>
                            {
                                using var request = BuildMessage(call, uri, body);
                                var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken).ConfigureAwait(false);
                                if (stream)
                                {
                                    // The first bytes inside the attempt: headers followed by silence is a timeout too.
                                    await StreamedBody.WrapAsync(response, _options.ProviderTimeout, time, attemptToken).ConfigureAwait(false);
                                }
                                else
                                {
                                    // Read inside the attempt, so its timeout covers the body too.
                                    await ResponseBody.BufferAsync(response, _options.MaxResponseBytes, attemptToken).ConfigureAwait(false);
                                }
                                return response;
                            },
                            breakerToken).ConfigureAwait(false);
                    },
                    resilience.CancellationToken),
                context,
                0).ConfigureAwait(false);
            // The bytes ResponseBody read, as they are: no second copy.
            var buffered = stream ? ReadOnlyMemory<byte>.Empty : ResponseBody.Of(message);
            var elapsed = time.GetElapsedTime(started);
            if ((int)message.StatusCode < 400)
            {
                LogCall(logger, call.Provider, call.Request.Method, uri.AbsolutePath, (int)message.StatusCode, elapsed.TotalMilliseconds);
            }
            else
            {
                LogErrorAnswer(logger, call.Provider, call.Request.Method, uri.AbsolutePath, (int)message.StatusCode, elapsed.TotalMilliseconds);
            }
            return ProviderResponse.Answered(message, buffered);
        }
        catch (OperationCanceledException) when (deadline.HasPassed)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "deadline passed");
            return ProviderResponse.Failed(new TrutoError(504, $"The call to {call.Provider} did not finish within {deadline.Describe()}, which counts every attempt and every wait for retries and for the rate limit."));
        }
        catch (BrokenCircuitException e)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "circuit open");
            var retryAfter = e.RetryAfter is { } after && after > TimeSpan.Zero ? after : _options.BreakerDuration;
            return ProviderResponse.Failed(
                new TrutoError(503, $"{call.Provider} failed too often for this account lately; calls to it are paused for {Deadline.Format(retryAfter)} (circuit breaker) and were not sent. Retry after that."),
                retryAfter);
        }
        catch (RateLimitWindowExhaustedException e)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "rate-limit window exhausted");
            return ProviderResponse.Failed(
                new TrutoError(429, $"{e.Message} That is beyond {deadline.Describe()}, so the call was not sent. Retry after that."),
                e.RetryAfter);
        }
        catch (RateLimitQueueFullException e)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "rate-limit queue full");
            return ProviderResponse.Failed(new TrutoError(429, e.Message + " Retry later, or send fewer ids at once."));
        }
        catch (RateLimiterUnavailableException e)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "rate limiter unavailable");
            return ProviderResponse.Failed(new TrutoError(503, e.Message + " Retry later."));
        }
        catch (ResponseTooLargeException e)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "answer too large");
            return ProviderResponse.Failed(new TrutoError(502, $"{call.Provider} answered with more than {e.Limit} bytes, the most this server reads (Runtime:MaxResponseBytes); truto_response_format=stream passes such answers through.") { IsRemoteError = true });
        }
        catch (TimeoutRejectedException)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "timeout");
            return ProviderResponse.Failed(new TrutoError(504, $"{call.Provider} did not answer within {Deadline.Format(_options.ProviderTimeout)} (Runtime:ProviderTimeout)."));
        }
        catch (HttpRequestException e) when (EgressRefusedException.FoundIn(e) is { } refusal)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, "refused by the egress policy");
            return ProviderResponse.Failed(new TrutoError(502, $"{call.Provider} was not called: {refusal.Message}"));
        }
        catch (HttpRequestException e) when (!deadline.Token.IsCancellationRequested)
        {
            LogFailure(logger, call.Provider, call.Request.Method, uri.AbsolutePath, e.HttpRequestError.ToString());
            return ProviderResponse.Failed(new TrutoError(502, $"{call.Provider} could not be reached ({Describe(e.HttpRequestError)})."));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// True when the request certainly never reached the provider (its name did not resolve, the
    /// connection was refused): trying again cannot delete anything twice.
    /// </summary>
    internal static bool FailedBeforeSending(HttpRequestException e)
        => e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.ProxyTunnelError;

    private ResiliencePipeline<HttpResponseMessage> BuildRetry()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (_options.MaxAttempts <= 1)
        {
            return builder.Build();
        }
        static CallState StateOf(ResilienceContext context) => context.Properties.GetValue(CallKey, null!);
        return builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = _options.MaxAttempts - 1,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = _options.RetryBaseDelay,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(StateOf(args.Context), args.Outcome)),
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response) : null),
            OnRetry = args =>
            {
                var state = StateOf(args.Context);
                state.Waited += args.RetryDelay;
                RuntimeMetrics.Retry(state.Call.Provider, RetryReason(args.Outcome));
                args.Outcome.Result?.Dispose();
                // AttemptNumber counts the failed attempt from 0; the log names the one about to start.
                LogRetry(logger, state.Call.Provider, state.Call.Request.Method, args.AttemptNumber + 2, args.RetryDelay.TotalMilliseconds);
                return ValueTask.CompletedTask;
            },
        }).Build();
    }

    private bool ShouldRetry(CallState state, Outcome<HttpResponseMessage> outcome)
    {
        var call = state.Call;
        bool Fits(TimeSpan delay) => state.Waited + delay <= _options.MaxRetryWait;
        return outcome switch
            {
                // A connection the egress policy refused would be refused again.
                { Exception: HttpRequestException e } when EgressRefusedException.FoundIn(e) is not null => false,
                // The provider may have acted on a request that timed out or broke off: again only when that is harmless.
                { Exception: HttpRequestException e } => (call.Idempotent || FailedBeforeSending(e)) && Fits(_options.RetryBaseDelay),
                { Exception: TimeoutRejectedException } => call.Idempotent && Fits(_options.RetryBaseDelay),
                { Result: { } response } when RetryAfter(response) is { } wait => (int)response.StatusCode is 429 or 503 && Fits(wait),
                { Result: { StatusCode: var status } } => (int)status is 502 or 504 && Fits(_options.RetryBaseDelay),
                _ => false,
            };
    }

    /// <summary>What the attempt sent again was: its status, or the kind of failure (a metric label, never a message).</summary>
    private static string RetryReason(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => TelemetryTags.StatusText((int)response.StatusCode),
        { Exception: TimeoutRejectedException } => "timeout",
        { Exception: HttpRequestException e } => e.HttpRequestError.ToString(),
        _ => "other",
    };

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    private static Uri BuildUri(ProviderCall call)
    {
        var query = new List<KeyValuePair<string, string>>(call.Request.Query.Count + call.RemoteQuery.Count);
        var overridden = new HashSet<string>(call.RemoteQuery.Select(q => q.Key), StringComparer.Ordinal);
        query.AddRange(call.Request.Query.Where(q => !overridden.Contains(q.Key)));
        query.AddRange(call.RemoteQuery);
        var builder = new StringBuilder(call.BaseUrl.TrimEnd('/')).Append(call.Request.Path);
        for (var i = 0; i < query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&')
                .Append(Uri.EscapeDataString(query[i].Key)).Append('=').Append(Uri.EscapeDataString(query[i].Value));
        }
        return new Uri(builder.ToString(), UriKind.Absolute);
    }

    private static HttpRequestMessage BuildMessage(ProviderCall call, Uri uri, ReadOnlyMemory<byte>? body)
    {
        var request = call.Request;
        var message = new HttpRequestMessage(new HttpMethod(request.Method), uri);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        string? contentType = null;
        foreach (var (name, value) in request.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = value;
            }
            else if (!IsSecretName(request, name))
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }
        foreach (var (name, value) in request.SecretHeaders)
        {
            message.Headers.Remove(name);
            message.Headers.TryAddWithoutValidation(name, value);
        }
        if (request.Parts.Count > 0)
        {
            // Built per attempt (content cannot be sent twice), each with its own boundary; part
            // paths go on the base URL's path, as the provider resolves them on the call's host.
            message.Content = MultipartBatchBody.Create(request.Parts, new Uri(call.BaseUrl, UriKind.Absolute).AbsolutePath);
        }
        else if (body is { } bytes)
        {
            message.Content = new ReadOnlyMemoryContent(bytes);
            message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/json");
        }
        return message;
    }

    /// <summary>An ordinary header may never replace an auth header.</summary>
    private static bool IsSecretName(ProviderRequest request, string name)
        => request.SecretHeaders.Any(s => s.Key.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Deep-merges <c>remote_data</c> over a JSON object body; the caller wins on a clash.</summary>
    internal static ReadOnlyMemory<byte>? MergeBody(ReadOnlyMemory<byte>? body, JsonElement? remoteData)
    {
        if (body is not { } bytes || remoteData is not { ValueKind: JsonValueKind.Object } extra || extra.EnumerateObject().Any() == false)
        {
            return body;
        }
        if (JsonNode.Parse(bytes.Span) is not JsonObject target)
        {
            return body;
        }
        Merge(target, JsonObject.Create(extra)!);
        return JsonSerializer.SerializeToUtf8Bytes(target);
    }

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (name, value) in source.ToList())
        {
            if (value is JsonObject nested && target[name] is JsonObject existing)
            {
                Merge(existing, nested);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }

    private static string Describe(HttpRequestError error) => error switch
    {
        HttpRequestError.NameResolutionError => "its host name could not be resolved",
        HttpRequestError.ConnectionError => "the connection failed",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed",
        HttpRequestError.ResponseEnded => "it closed the connection before answering",
        HttpRequestError.InvalidResponse => "its answer was not valid HTTP",
        _ => "the request failed",
    };

    // Every answered call at Debug (the request line already says how the unified call went); answers that are errors at Information.
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "{Provider} {Method} {Path} answered {Status} in {ElapsedMs:0} ms")]
    private static partial void LogCall(ILogger logger, string provider, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Provider} {Method} {Path} answered {Status} in {ElapsedMs:0} ms")]
    private static partial void LogErrorAnswer(ILogger logger, string provider, string method, string path, int status, double elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Provider} {Method} {Path} failed: {Reason}")]
    private static partial void LogFailure(ILogger logger, string provider, string method, string path, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{Provider} {Method}: attempt {Attempt} after {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, string provider, string method, int attempt, double delayMs);

    /// <summary>What the shared retry pipeline needs to know of one call.</summary>
    private sealed class CallState(ProviderCall call)
    {
        public ProviderCall Call { get; } = call;

        /// <summary>Retry waits spent so far; written by the pipeline's OnRetry, which runs between attempts, never beside one.</summary>
        public TimeSpan Waited { get; set; }
    }
}
