using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Http;
using Truto.Mappings.Interpreter;
using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Cli.DryRun;

/// <summary>
/// The runtime's own client (executors, call builder, transport, result writer) over one
/// interpreted adapter, with the HTTP handler replaced by a <see cref="RecordingHandler"/>: what
/// explain prints and map answers is what the runtime does, not a description of it. No retries,
/// no pacing (nothing is sent, so there is no rate to keep).
/// </summary>
internal sealed class DryRunClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public DryRunClient(InterpretedAdapter adapter, CannedAnswer answer)
    {
        Handler = new RecordingHandler(answer);
        var services = new ServiceCollection()
            .AddSingleton<IProviderRateLimiter>(new Unpaced())
            .AddTrutoMappingsRuntime(InterpretedProviders.Table(ContactsSchema.Resource, [adapter]), o => o.MaxAttempts = 1);
        // Added after the runtime's handler: the last primary handler configured is the one used.
        services.AddHttpClient(TrutoMappingsServiceCollectionExtensions.ProviderClientName).ConfigurePrimaryHttpMessageHandler(() => Handler);
        _services = services.BuildServiceProvider();
    }

    public RecordingHandler Handler { get; }

    public UnifiedContactsClient Client => _services.GetRequiredService<UnifiedContactsClient>();

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    private sealed class Unpaced : IProviderRateLimiter
    {
        public ValueTask WaitAsync(string provider, string account, IReadOnlyList<RequestRate> windows, TimeSpan maxWait, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
