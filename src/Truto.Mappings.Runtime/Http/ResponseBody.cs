using System.Buffers;

namespace Truto.Mappings.Http;

/// <summary>
/// Reads a provider answer's body into memory, at most a limit: an answer cannot make the server
/// hold more than that, whatever it declares or sends.
/// </summary>
internal static class ResponseBody
{
    /// <summary>
    /// Replaces <paramref name="response"/>'s content with its bytes, read up to
    /// <paramref name="limit"/>; disposes the response and throws
    /// <see cref="ResponseTooLargeException"/> past it. A body that breaks off mid-way is an
    /// <see cref="HttpRequestException"/>, as when HttpClient buffers it itself (and so is retried alike).
    /// </summary>
    public static async Task BufferAsync(HttpResponseMessage response, long limit, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            response.Dispose();
            throw new ResponseTooLargeException(limit);
        }
        // Sized to the declared length when there is one (plus the byte that finds the end), so a small answer is one small array.
        var declared = response.Content.Headers.ContentLength;
        var buffer = new ArrayBufferWriter<byte>(declared is { } length and < 1024 * 1024 ? (int)length + 1 : 16 * 1024);
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                do
                {
                    read = await stream.ReadAsync(buffer.GetMemory(), cancellationToken).ConfigureAwait(false);
                    buffer.Advance(read);
                    if (buffer.WrittenCount > limit)
                    {
                        response.Dispose();
                        throw new ResponseTooLargeException(limit);
                    }
                }
                while (read > 0);
            }
        }
        catch (IOException e)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The provider's answer broke off.", e);
        }
        var content = new BufferedContent(buffer.WrittenMemory);
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content.Dispose();
        response.Content = content;
    }

    /// <summary>The bytes <see cref="BufferAsync"/> read into <paramref name="response"/>.</summary>
    public static ReadOnlyMemory<byte> Of(HttpResponseMessage response)
        => response.Content is BufferedContent buffered
            ? buffered.Bytes
            : throw new InvalidOperationException("The answer was not read with ResponseBody.BufferAsync.");
}

/// <summary>
/// A body read by <see cref="ResponseBody.BufferAsync"/>: its bytes stay reachable without copying
/// them (<see cref="ReadOnlyMemoryContent"/> is sealed and does not show them).
/// </summary>
internal sealed class BufferedContent(ReadOnlyMemory<byte> bytes) : HttpContent
{
    /// <summary>The body's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; } = bytes;

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        => stream.WriteAsync(Bytes).AsTask();

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        => stream.WriteAsync(Bytes, cancellationToken).AsTask();

    protected override void SerializeToStream(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
        => stream.Write(Bytes.Span);

    protected override Task<Stream> CreateContentReadStreamAsync()
        => Task.FromResult<Stream>(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(Bytes, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(Bytes.ToArray(), writable: false));

    protected override bool TryComputeLength(out long length)
    {
        length = Bytes.Length;
        return true;
    }
}

/// <summary>A provider answer is larger than the runtime reads (<see cref="TrutoMappingsOptions.MaxResponseBytes"/>).</summary>
internal sealed class ResponseTooLargeException(long limit) : Exception($"The provider's answer is larger than {limit} bytes.")
{
    /// <summary>The limit, in bytes.</summary>
    public long Limit { get; } = limit;
}
