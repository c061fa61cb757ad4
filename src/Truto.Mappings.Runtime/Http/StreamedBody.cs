namespace Truto.Mappings.Http;

/// <summary>
/// A provider body passed through unread (<c>stream</c> format) that still cannot hold the caller
/// forever: the first bytes are read inside the attempt (so a provider that sends its headers and
/// then stalls is a timeout like any other, answered before anything reaches the caller), and
/// after that every read must bring bytes within the attempt timeout, else the stream fails with
/// a <see cref="TimeoutException"/> (the caller then sees the answer break off).
/// </summary>
internal sealed class StreamedBody : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private ReadOnlyMemory<byte> _first;

    private StreamedBody(Stream inner, ReadOnlyMemory<byte> first, TimeSpan idleTimeout, TimeProvider time)
    {
        _inner = inner;
        _first = first;
        _idleTimeout = idleTimeout;
        _time = time;
    }

    /// <summary>
    /// Reads the first bytes of <paramref name="response"/>'s body with <paramref name="cancellationToken"/>
    /// (the attempt's), then replaces its content with one that yields them and reads the rest
    /// with <paramref name="idleTimeout"/> per read.
    /// </summary>
    public static async Task WrapAsync(HttpResponseMessage response, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var inner = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The provider's answer broke off.", e);
        }
        var content = new StreamContent(new StreamedBody(inner, buffer.AsMemory(0, read), idleTimeout, time));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
        // The old content owns the connection's stream, which the new one reads on: swap, don't dispose.
        response.Content = content;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_first.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _first.Length);
            _first[..count].CopyTo(buffer);
            _first = _first[count..];
            return count;
        }
        using var idle = new CancellationTokenSource(_idleTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            return await _inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The provider sent nothing for {Deadline.Format(_idleTimeout)} (Runtime:ProviderTimeout); its answer was cut off.");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
