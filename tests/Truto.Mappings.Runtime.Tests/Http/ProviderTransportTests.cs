using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Truto.Mappings.Adapters;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Http;
using Truto.Mappings.Operations;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>The transport's answers for calls it refuses before sending anything.</summary>
public sealed class ProviderTransportTests
{
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);

    [Fact]
    public async Task A_call_that_finds_its_accounts_rate_limit_queue_full_is_a_429_without_a_request()
    {
        var limiters = new ProviderRateLimiters(TimeProvider.System, queueLimit: 1);
        using var cancellation = new CancellationTokenSource();
        await limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], Timeout.InfiniteTimeSpan, CancellationToken.None);
        var queued = limiters.WaitAsync("hubspot", "acc-1", [OnePerHour], Timeout.InfiniteTimeSpan, cancellation.Token).AsTask();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TrutoMappingsOptions());
        var transport = new ProviderTransport(services.GetRequiredService<IHttpClientFactory>(), options,
            NullLogger<ProviderTransport>.Instance, TimeProvider.System, limiters, new ProviderCircuitBreakers(options, TimeProvider.System));
        // Nothing listens there: had the call been sent, it would be a 502.
        var call = new ProviderCall("hubspot", "acc-1", [OnePerHour], "http://127.0.0.1:9", new ProviderRequest { Path = "/contacts/51" }, [], null);

        // No deadline: the queue bound, not the time left, refuses the call.
        using var deadline = new Deadline(Timeout.InfiniteTimeSpan, "Runtime:CallDeadline", TimeProvider.System, CancellationToken.None);
        using var response = await transport.SendAsync(call, stream: false, deadline);

        Assert.Equal(429, response.Status);
        Assert.Contains("already waiting", response.TransportError!.Message, StringComparison.Ordinal);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }

    [Fact]
    public async Task A_call_a_window_lets_through_only_after_the_deadline_is_a_429_with_retry_after_without_a_request()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiters = new ProviderRateLimiters(time);
        var daily = new RequestRate(2, TimeSpan.FromDays(1), 2);
        // The day's two calls are spent: the next one fits in 12 h, far beyond the call's minute.
        await limiters.WaitAsync("keap", "acc-1", [daily], Timeout.InfiniteTimeSpan, CancellationToken.None);
        await limiters.WaitAsync("keap", "acc-1", [daily], Timeout.InfiniteTimeSpan, CancellationToken.None);
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TrutoMappingsOptions());
        var transport = new ProviderTransport(services.GetRequiredService<IHttpClientFactory>(), options,
            NullLogger<ProviderTransport>.Instance, time, limiters, new ProviderCircuitBreakers(options, time));
        // Nothing listens there: had the call been sent, it would be a 502.
        var call = new ProviderCall("keap", "acc-1", [new RequestRate(10, TimeSpan.FromSeconds(1), 10), daily], "http://127.0.0.1:9", new ProviderRequest { Path = "/contacts/51" }, [], null);

        using var deadline = new Deadline(TimeSpan.FromMinutes(1), "Runtime:CallDeadline", time, CancellationToken.None);
        using var response = await transport.SendAsync(call, stream: false, deadline);

        Assert.Equal(429, response.Status);
        Assert.Equal(TimeSpan.FromHours(12), response.FailureRetryAfter);
        Assert.Equal("keap allows 2 calls per 24 h per account; the next call fits in 12 h. That is beyond the deadline of 60 s (Runtime:CallDeadline), so the call was not sent. Retry after that.",
            response.TransportError!.Message);
    }

    [Fact]
    public async Task A_shared_limiter_that_fails_is_a_503_without_a_request_and_is_not_retried()
    {
        var limiter = new FailingLimiter();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TrutoMappingsOptions());
        var transport = new ProviderTransport(services.GetRequiredService<IHttpClientFactory>(), options,
            NullLogger<ProviderTransport>.Instance, TimeProvider.System, limiter, new ProviderCircuitBreakers(options, TimeProvider.System));
        var call = new ProviderCall("hubspot", "acc-1", [OnePerHour], "http://127.0.0.1:9", new ProviderRequest { Path = "/contacts/51" }, [], null) { Idempotent = true };

        using var deadline = new Deadline(TimeSpan.FromMinutes(1), "Runtime:CallDeadline", TimeProvider.System, CancellationToken.None);
        using var response = await transport.SendAsync(call, stream: false, deadline);

        Assert.Equal(503, response.Status);
        Assert.Contains("shared rate limit for hubspot could not be checked", response.TransportError!.Message, StringComparison.Ordinal);
        Assert.Equal(1, limiter.Calls);
    }

    [Fact]
    public async Task A_call_without_a_declared_rate_never_asks_the_limiter()
    {
        var limiter = new FailingLimiter();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TrutoMappingsOptions { MaxAttempts = 1 });
        var transport = new ProviderTransport(services.GetRequiredService<IHttpClientFactory>(), options,
            NullLogger<ProviderTransport>.Instance, TimeProvider.System, limiter, new ProviderCircuitBreakers(options, TimeProvider.System));
        var call = new ProviderCall("salesforce", "acc-1", [], "http://127.0.0.1:9", new ProviderRequest { Path = "/contacts/51" }, [], null);

        using var deadline = new Deadline(TimeSpan.FromMinutes(1), "Runtime:CallDeadline", TimeProvider.System, CancellationToken.None);
        using var response = await transport.SendAsync(call, stream: false, deadline);

        // Sent (nothing listens on port 9: a 502), never paced.
        Assert.Equal(502, response.Status);
        Assert.Equal(0, limiter.Calls);
    }

    [Fact]
    public void A_host_registered_limiter_replaces_the_in_process_default()
    {
        var limiter = new FailingLimiter();
        using var defaults = new ServiceCollection().AddTrutoMappingsRuntime(new OperationTable([])).BuildServiceProvider();
        using var replaced = new ServiceCollection().AddSingleton<IProviderRateLimiter>(limiter)
            .AddTrutoMappingsRuntime(new OperationTable([])).BuildServiceProvider();

        Assert.IsType<ProviderRateLimiters>(defaults.GetRequiredService<IProviderRateLimiter>());
        Assert.Same(limiter, replaced.GetRequiredService<IProviderRateLimiter>());
    }

    /// <summary>A shared limiter whose database is down.</summary>
    private sealed class FailingLimiter : IProviderRateLimiter
    {
        public int Calls { get; private set; }

        public ValueTask WaitAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken)
        {
            Calls++;
            throw new RateLimiterUnavailableException(provider, new TimeoutException("No answer."));
        }
    }
}
