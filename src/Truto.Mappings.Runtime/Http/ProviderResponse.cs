using System.Net.Http.Headers;

namespace Truto.Mappings.Http;

/// <summary>
/// What a provider answered: status, headers and body (buffered), or the open response when the
/// caller asked for a stream. <see cref="TransportError"/> is set instead when no answer came.
/// </summary>
internal sealed class ProviderResponse : IDisposable
{
    private readonly HttpResponseMessage? _message;

    private ProviderResponse(HttpResponseMessage? message, int status, ReadOnlyMemory<byte> body, Errors.TrutoError? transportError, TimeSpan? failureRetryAfter)
    {
        _message = message;
        Status = status;
        Body = body;
        TransportError = transportError;
        FailureRetryAfter = failureRetryAfter;
    }

    public static ProviderResponse Answered(HttpResponseMessage message, ReadOnlyMemory<byte> body)
        => new(message, (int)message.StatusCode, body, null, null);

    /// <summary>No answer came, or none was asked for; <paramref name="retryAfter"/> is when trying again makes sense (an open circuit breaker).</summary>
    public static ProviderResponse Failed(Errors.TrutoError error, TimeSpan? retryAfter = null)
        => new(null, error.StatusCode, ReadOnlyMemory<byte>.Empty, error, retryAfter);

    /// <summary>For a failure without an answer: when the runtime itself will let a call through again.</summary>
    public TimeSpan? FailureRetryAfter { get; }

    /// <summary>The provider's status (or the 502/504 of a transport failure).</summary>
    public int Status { get; }

    /// <summary>The buffered body (empty for streams and transport failures).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>Set when the provider could not be reached or timed out.</summary>
    public Errors.TrutoError? TransportError { get; }

    /// <summary>The response, for streaming its content.</summary>
    public HttpResponseMessage? Message => _message;

    /// <summary>The body's content type, if any.</summary>
    public string? ContentType => _message?.Content.Headers.ContentType?.ToString();

    /// <summary>A response or content header, comma-joined when repeated; null when absent.</summary>
    public string? Header(string name)
    {
        if (_message is null)
        {
            return null;
        }
        if (_message.Headers.TryGetValues(name, out var values) || _message.Content.Headers.TryGetValues(name, out values))
        {
            return string.Join(", ", values);
        }
        return null;
    }

    /// <summary>Status, body and transport error as plain data, for the outcome interpreter.</summary>
    public ProviderAnswer Answer => new(Status, Body, TransportError);

    /// <summary>Retry-After as the provider sent it (seconds or an HTTP date).</summary>
    public RetryConditionHeaderValue? RetryAfter => _message?.Headers.RetryAfter;

    public void Dispose() => _message?.Dispose();
}
