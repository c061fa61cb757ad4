using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// A loopback provider for several server processes at once, speaking HubSpot's delete and batch
/// archive and Close's delete (the shapes their YAML maps), that records every call it receives:
/// when, with which credentials, for which ids, answered how. Optionally it holds calls at a gate
/// (<see cref="HoldCalls"/>), answers one account slowly (<see cref="AnswerSlowly"/>), or enforces a rate the way a
/// provider does (<see cref="EnforceRate"/>: past it, a 429), so tests can count what a whole cluster
/// sent.
/// </summary>
internal sealed class CountingProvider : IAsyncDisposable
{
    private readonly ConcurrentQueue<ProviderCall> _calls = new();
    private readonly ConcurrentDictionary<string, DeclaredRate> _rates = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Authorization, int Count), TaskCompletionSource> _waiters = new();
    private TaskCompletionSource? _arrived;
    private Task? _gate;
    private int _held;
    private LoopbackHost _host = null!;

    /// <summary>The provider's origin, <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri Url => _host.Url;

    /// <summary>The origin as <c>Egress:AllowedBaseUrls</c> lists it.</summary>
    public string Origin => _host.Origin;

    /// <summary>Every call received so far, in arrival order.</summary>
    public IReadOnlyList<ProviderCall> Calls => [.. _calls];

    public static async Task<CountingProvider> StartAsync()
    {
        var provider = new CountingProvider();
        provider._host = await LoopbackHost.StartAsync(app => provider.Map(app));
        return provider;
    }

    private void Map(WebApplication app)
    {
        var provider = this;
        // HubSpot: 204 for a delete and for a batch archive, whatever the ids.
        app.MapDelete("/crm/v3/objects/contacts/{id}", (HttpContext context, string id) => provider.AnswerAsync(context, [id], 204, null));
        app.MapPost("/crm/v3/objects/contacts/batch/archive", async (HttpContext context) =>
        {
            var body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var ids = body!["inputs"]!.AsArray().Select(i => (string)i!["id"]!).ToList();
            await provider.AnswerAsync(context, ids, 204, null);
        });
        // Close: 200 {} for a delete.
        app.MapDelete("/contact/{id}/", (HttpContext context, string id) => provider.AnswerAsync(context, [id], 200, "{}"));
    }

    /// <summary>How many calls are waiting at the gate of <see cref="HoldCalls"/> right now (a call whose caller went away leaves it).</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>
    /// Holds every call from now on until <paramref name="release"/> completes; the returned task
    /// completes when the first held call has arrived.
    /// </summary>
    public Task HoldCalls(Task release)
    {
        _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = release;
        return _arrived.Task;
    }

    /// <summary>
    /// From now on answers 429 (HubSpot's body) to a call with <paramref name="authorization"/> (one
    /// account) that the rate a provider YAML declares would not let through: a bucket of
    /// <paramref name="burst"/> calls refilled at <paramref name="requests"/> per <paramref name="per"/>,
    /// plus <paramref name="slack"/> calls for the time between a server's decision to call and the
    /// call's arrival here. Arrival order, not send order, is what a provider sees.
    /// </summary>
    public void EnforceRate(string authorization, int requests, TimeSpan per, int burst, int slack)
        => _rates[authorization] = new DeclaredRate(requests / per.TotalSeconds, burst + slack);

    /// <summary>From now on answers calls with <paramref name="authorization"/> (one account) after <paramref name="delay"/>, as a slow provider does.</summary>
    public void AnswerSlowly(string authorization, TimeSpan delay) => _delays[authorization] = delay;

    /// <summary>Completes once <paramref name="count"/> calls with <paramref name="authorization"/> have been answered.</summary>
    public Task WhenAnswered(string authorization, int count)
    {
        var waiter = _waiters.GetOrAdd((authorization, count), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        CheckWaiters();
        return waiter.Task;
    }

    /// <summary>The calls sent with <paramref name="authorization"/> (one account's credentials).</summary>
    public IReadOnlyList<ProviderCall> CallsWith(string authorization) => Calls.Where(c => c.Authorization == authorization).ToList();

    private async Task AnswerAsync(HttpContext context, IReadOnlyList<string> ids, int status, string? body)
    {
        var call = new ProviderCall(DateTimeOffset.UtcNow, context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), ids);
        _calls.Enqueue(call);
        // A provider counts a call when it arrives.
        var overRate = _rates.TryGetValue(call.Authorization, out var rate) && !rate.TryTake();
        try
        {
            if (_gate is { } gate && !gate.IsCompleted)
            {
                Interlocked.Increment(ref _held);
                try
                {
                    _arrived?.TrySetResult();
                    await gate.WaitAsync(context.RequestAborted);
                }
                finally
                {
                    Interlocked.Decrement(ref _held);
                }
            }
            if (_delays.TryGetValue(call.Authorization, out var delay))
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            if (overRate)
            {
                status = 429;
                body = """{"status": "error", "message": "You have reached your ten-secondly limit.", "category": "RATE_LIMITS"}""";
            }
            context.Response.StatusCode = status;
            if (body is not null)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
            await context.Response.CompleteAsync();
            call.Status = status;
            call.AnsweredAt = DateTimeOffset.UtcNow;
            CheckWaiters();
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away (its server was killed): this call stays unanswered.
        }
    }

    private void CheckWaiters()
    {
        foreach (var ((authorization, count), waiter) in _waiters)
        {
            if (!waiter.Task.IsCompleted && _calls.Count(c => c.AnsweredAt is not null && c.Authorization == authorization) >= count)
            {
                waiter.TrySetResult();
            }
        }
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
