using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>The transport's answers for calls it refuses before sending anything.</summary>
public sealed class ProviderTransportTests
{
    private static readonly RequestRate OnePerHour = new(1, TimeSpan.FromHours(1), 1);

    [Fact]
    public async Task A_call_that_finds_its_accounts_rate_limit_queue_full_is_a_429_without_a_request()
    {
        using var limiters = new ProviderRateLimiters(queueLimit: 1);
        using var cancellation = new CancellationTokenSource();
        await limiters.WaitAsync("hubspot", "acc-1", OnePerHour, CancellationToken.None);
        var queued = limiters.WaitAsync("hubspot", "acc-1", OnePerHour, cancellation.Token).AsTask();
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = Options.Create(new TrutoMappingsOptions());
        var transport = new ProviderTransport(services.GetRequiredService<IHttpClientFactory>(), options,
            NullLogger<ProviderTransport>.Instance, TimeProvider.System, limiters, new ProviderCircuitBreakers(options, TimeProvider.System));
        // Nothing listens there: had the call been sent, it would be a 502.
        var call = new ProviderCall("hubspot", "acc-1", OnePerHour, "http://127.0.0.1:9", new ProviderRequest { Path = "/contacts/51" }, [], null);

        using var deadline = new Deadline(TimeSpan.FromMinutes(1), "Runtime:CallDeadline", TimeProvider.System, CancellationToken.None);
        using var response = await transport.SendAsync(call, stream: false, deadline);

        Assert.Equal(429, response.Status);
        Assert.Contains("already waiting", response.TransportError!.Message, StringComparison.Ordinal);
        await cancellation.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
    }
}
