using System.Text.Json;
using Truto.Mappings.Errors;

namespace Truto.Mappings.Client;

/// <summary>
/// The answer of a unified call, exactly as the HTTP API sends it: status, headers (rate limits,
/// Retry-After) and body. Unified and normalized bodies are JSON written by the runtime; raw
/// bodies are the provider's; streams are the provider's open response (dispose the result).
/// </summary>
public sealed class UnifiedResult : IAsyncDisposable
{
    private readonly HttpResponseMessage? _stream;

    internal UnifiedResult(int statusCode, string contentType, ReadOnlyMemory<byte> body, IReadOnlyList<KeyValuePair<string, string>> headers, TrutoError? error, HttpResponseMessage? stream = null)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
        Headers = headers;
        Error = error;
        _stream = stream;
    }

    /// <summary>The HTTP status of the unified answer.</summary>
    public int StatusCode { get; }

    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>The body's content type.</summary>
    public string ContentType { get; }

    /// <summary>The body (empty for streamed results: use <see cref="WriteToAsync"/>).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>True when the body is the provider's open stream.</summary>
    public bool IsStreamed => _stream is not null;

    /// <summary>Response headers to send: <c>ratelimit-limit</c>, <c>ratelimit-remaining</c>, <c>ratelimit-reset</c>, <c>Retry-After</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>
    /// The account's context with the tokens this call refreshed (OAuth), or null when it refreshed
    /// none. With an <see cref="OAuth.IAccountTokenStore"/> registered it is already saved; without
    /// one the caller must store it (it holds secrets: encrypt it), or the next call starts from the
    /// old, possibly rotated-away, refresh token.
    /// </summary>
    public Accounts.AccountContext? RefreshedContext { get; internal set; }

    /// <summary>The error envelope when the call failed.</summary>
    public TrutoError? Error { get; }

    /// <summary>The body as JSON (not for streamed or raw non-JSON results).</summary>
    public JsonDocument ParseJson() => JsonDocument.Parse(Body);

    /// <summary>Throws <see cref="TrutoApiException"/> with the envelope when the call failed.</summary>
    public UnifiedResult EnsureSuccess()
    {
        if (!IsSuccess)
        {
            throw new TrutoApiException(Error ?? new TrutoError(StatusCode, "The provider answered " + StatusCode + "."));
        }
        return this;
    }

    /// <summary>Copies the body to <paramref name="destination"/>; a stream is copied as it arrives.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (_stream is not null)
        {
            var source = await _stream.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await source.CopyToAsync(destination, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        await destination.WriteAsync(Body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _stream?.Dispose();
        return ValueTask.CompletedTask;
    }
}
