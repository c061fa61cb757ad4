using Truto.Mappings.Client;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Http;

/// <summary>
/// The <c>stream</c> format keeps the attempt timeout while the body flows: a provider that sends
/// its headers and then nothing is a 504, one that stalls mid-body breaks the stream off.
/// </summary>
public sealed class StreamTimeoutTests : IAsyncLifetime
{
    private static readonly UnifiedRequestOptions Stream = new() { Format = ResponseFormat.Stream };

    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReplayServer _server = null!;

    [Fact]
    public async Task A_provider_that_sends_headers_and_then_stalls_is_a_504()
    {
        _server.Load([new RecordedAnswer(200, new Dictionary<string, string>(), null, "application/json") { HoldBeforeRest = _release.Task, Rest = "{}" }]);

        await using var result = await Client().DeleteAsync(LoopbackRuntime.Account("streaming"), "7", Stream);

        Assert.Equal(504, result.StatusCode);
        Assert.False(result.IsStreamed);
        Assert.Contains("Runtime:ProviderTimeout", result.Error!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_provider_that_stalls_mid_body_breaks_the_stream_off_after_the_timeout()
    {
        _server.Load([new RecordedAnswer(200, new Dictionary<string, string>(), "{\"id\":", "application/json") { HoldBeforeRest = _release.Task, Rest = "\"7\"}" }]);
        await using var result = await Client().DeleteAsync(LoopbackRuntime.Account("streaming"), "7", Stream);
        using var copy = new MemoryStream();

        var broken = await Assert.ThrowsAsync<TimeoutException>(() => result.WriteToAsync(copy));

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("{\"id\":", System.Text.Encoding.UTF8.GetString(copy.ToArray()));
        Assert.Contains("Runtime:ProviderTimeout", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_that_keeps_flowing_is_passed_through_whole()
    {
        _server.Load([new RecordedAnswer(200, new Dictionary<string, string>(), "{\"id\":", "application/json") { HoldBeforeRest = _release.Task, Rest = "\"7\"}" }]);
        await using var result = await Client().DeleteAsync(LoopbackRuntime.Account("streaming"), "7", Stream);
        using var copy = new MemoryStream();

        _release.SetResult();
        await result.WriteToAsync(copy);

        Assert.Equal("{\"id\":\"7\"}", System.Text.Encoding.UTF8.GetString(copy.ToArray()));
    }

    private UnifiedContactsClient Client() => LoopbackRuntime.Client(_server, [new LoopbackDelete(new LoopbackProvider("streaming"))], o =>
    {
        o.MaxAttempts = 1;
        o.ProviderTimeout = TimeSpan.FromSeconds(1);
    });

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync()
    {
        _release.TrySetResult();
        await _server.DisposeAsync();
    }
}
