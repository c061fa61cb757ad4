using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// A Close simulator on loopback (close.yaml fans a batch out to <c>DELETE /contact/{id}/</c>):
/// answers 200 for each id, 404 for ids marked <see cref="Missing"/>, counts the calls per id,
/// and holds calls while <see cref="Hold"/> is set (until <see cref="Release"/>), so a test can
/// stop a server or cancel a job with calls in flight.
/// </summary>
internal sealed class FanOutProvider : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _answered = new(StringComparer.Ordinal);
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _hold;
    private int _held;
    private LoopbackHost _host = null!;

    public Uri Url => _host.Url;

    /// <summary>The origin to list in <c>Egress:AllowedBaseUrls</c>.</summary>
    public string Origin => _host.Origin;

    public string AllowArgument(int index = 0) => $"--Egress:AllowedBaseUrls:{index}={Origin}";

    /// <summary>Ids answered 404 (Close's "does not exist").</summary>
    public ConcurrentDictionary<string, bool> Missing { get; } = new(StringComparer.Ordinal);

    /// <summary>How many calls for each id arrived.</summary>
    public IReadOnlyDictionary<string, int> Calls => _calls;

    /// <summary>How many calls for each id were answered (not dropped by a caller that went away).</summary>
    public IReadOnlyDictionary<string, int> Answered => _answered;

    /// <summary>Calls held right now.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Holds every call from now on until <see cref="Release"/>.</summary>
    public void Hold()
    {
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = true;
    }

    /// <summary>Ids whose calls are held until <see cref="Release"/> (every other call answers at once).</summary>
    public ConcurrentDictionary<string, bool> HoldOnly { get; } = new(StringComparer.Ordinal);

    /// <summary>Lets held calls and every later one through.</summary>
    public void Release()
    {
        _hold = false;
        _release.TrySetResult();
    }

    /// <summary>A Close account context pointing at this simulator.</summary>
    public System.Text.Json.Nodes.JsonObject Context() => new() { ["api_key"] = "close-key", ["base_url"] = Url.ToString() };

    public static async Task<FanOutProvider> StartAsync()
    {
        var provider = new FanOutProvider();
        provider._host = await LoopbackHost.StartAsync(app => app.MapDelete("/contact/{id}/", provider.DeleteAsync));
        return provider;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (checked every few ms, at most 30 s).</summary>
    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Waited 30 s for " + what + ".");
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private async Task<IResult> DeleteAsync(string id, HttpContext context)
    {
        _calls.AddOrUpdate(id, 1, (_, n) => n + 1);
        if (_hold || HoldOnly.ContainsKey(id))
        {
            Interlocked.Increment(ref _held);
            try
            {
                await _release.Task.WaitAsync(context.RequestAborted);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }
        if (context.RequestAborted.IsCancellationRequested)
        {
            // The caller has gone: nothing reaches it, so this call was not answered.
            return Results.Empty;
        }
        _answered.AddOrUpdate(id, 1, (_, n) => n + 1);
        return Missing.ContainsKey(id)
            ? Results.Json(new { error = "Empty query: Contact matching query does not exist." }, statusCode: 404)
            : Results.Json(new { }, statusCode: 200);
    }

    public ValueTask DisposeAsync()
    {
        Release();
        return _host.DisposeAsync();
    }
}
