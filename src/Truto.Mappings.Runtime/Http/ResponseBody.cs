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
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                int read;
                do
                {
                    read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
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
        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        response.Content.Dispose();
        response.Content = content;
    }
}

/// <summary>A provider answer is larger than the runtime reads (<see cref="TrutoMappingsOptions.MaxResponseBytes"/>).</summary>
internal sealed class ResponseTooLargeException(long limit) : Exception($"The provider's answer is larger than {limit} bytes.")
{
    /// <summary>The limit, in bytes.</summary>
    public long Limit { get; } = limit;
}
