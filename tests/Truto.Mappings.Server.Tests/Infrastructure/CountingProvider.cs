using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// A call a <see cref="CountingProvider"/> received: when it arrived, with which account's
/// credentials, for which ids, and how it ended: the status sent and when the answer was sent
/// whole, or neither while it is in flight or when the caller went away first (a killed server).
/// </summary>
internal sealed record ProviderCall(DateTimeOffset At, string Method, string Path, string Authorization, IReadOnlyList<string> Ids)
{
    /// <summary>The status answered; 0 while in flight or when the caller went away first.</summary>
    public int Status { get; set; }

    /// <summary>When the whole answer was sent; null while in flight or when the caller went away first.</summary>
    public DateTimeOffset? AnsweredAt { get; set; }
}

/// <summary>
/// A loopback provider for several server processes at once, speaking HubSpot's delete and batch
/// archive and Close's delete (the shapes their YAML maps), that records every call it receives:
/// when, with which credentials, for which ids, answered how. Optionally it holds calls at a gate
/// (<see cref="HoldCalls"/>), answers slowly (<see cref="Delay"/>), or enforces a rate the way a
/// provider does (<see cref="EnforceRate"/>: past it, a 429), so tests can count what a whole cluster
/// sent.
/// </summary>
internal sealed class CountingProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ProviderCall> _calls = new();
    private readonly Queue<DateTimeOffset> _window = new();
    private readonly Lock _rateLock = new();
    private (int Requests, TimeSpan Per)? _rate;
    private TaskCompletionSource? _arrived;
    private Task? _gate;

    private CountingProvider(WebApplication app) => _app = app;

    /// <summary>The provider's origin, <c>http://127.0.0.1:{port}</c>.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The origin as <c>Egress:AllowedBaseUrls</c> lists it.</summary>
    public string Origin => Url.GetLeftPart(UriPartial.Authority);

    /// <summary>How long each call waits before it is answered (a slow provider); zero by default.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Every call received so far, in arrival order.</summary>
    public IReadOnlyList<ProviderCall> Calls => [.. _calls];

    public static async Task<CountingProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new CountingProvider(app);
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
        await app.StartAsync();
        provider.Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return provider;
    }

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
    /// From now on answers 429 (HubSpot's body) to a call that would make more than
    /// <paramref name="requests"/> answered calls within any <paramref name="per"/>, as a provider
    /// enforcing its documented rate does.
    /// </summary>
    public void EnforceRate(int requests, TimeSpan per)
    {
        lock (_rateLock)
        {
            _rate = (requests, per);
            _window.Clear();
        }
    }

    /// <summary>The calls sent with <paramref name="authorization"/> (one account's credentials).</summary>
    public IReadOnlyList<ProviderCall> CallsWith(string authorization) => Calls.Where(c => c.Authorization == authorization).ToList();

    private async Task AnswerAsync(HttpContext context, IReadOnlyList<string> ids, int status, string? body)
    {
        var call = new ProviderCall(DateTimeOffset.UtcNow, context.Request.Method, context.Request.Path, context.Request.Headers.Authorization.ToString(), ids);
        _calls.Enqueue(call);
        // A provider counts a call when it arrives.
        var overRate = OverRate();
        try
        {
            if (_gate is { } gate)
            {
                _arrived?.TrySetResult();
                await gate.WaitAsync(context.RequestAborted);
            }
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, context.RequestAborted);
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
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away (its server was killed): this call stays unanswered.
        }
    }

    private bool OverRate()
    {
        lock (_rateLock)
        {
            var now = DateTimeOffset.UtcNow;
            if (_rate is not { } rate)
            {
                return false;
            }
            while (_window.Count > 0 && now - _window.Peek() >= rate.Per)
            {
                _window.Dequeue();
            }
            if (_window.Count >= rate.Requests)
            {
                return true;
            }
            _window.Enqueue(now);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
