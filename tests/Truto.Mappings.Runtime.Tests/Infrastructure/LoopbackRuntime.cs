using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Operations;
using Truto.Mappings.Schema;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>
/// The real runtime (DI, HttpClient, Polly, limiters, breakers) over hand-written operations, every
/// provider pointed at a loopback replay server. Retries wait nothing unless a test says so.
/// </summary>
internal static class LoopbackRuntime
{
    private static readonly UnifiedResource Resource = new("crm", "contacts", "", [], [],
    [
        new UnifiedMethod("delete", OperationShape.Single, "DELETE", "/unified/crm/contacts/{id}", "Delete", "", false, [], [], []),
        new UnifiedMethod("batch_delete", OperationShape.Batch, "POST", "/unified/crm/contacts/batch-delete", "Batch", "", true, [], [], []),
    ]);

    /// <summary>A client whose operations are <paramref name="operations"/>; <paramref name="time"/> replaces the clock, <paramref name="logs"/> collects log lines.</summary>
    public static UnifiedContactsClient Client(
        ReplayServer server,
        IReadOnlyList<ProviderOperation> operations,
        Action<TrutoMappingsOptions>? configure = null,
        TimeProvider? time = null,
        ILoggerProvider? logs = null)
        => Client(server.Url.ToString(), operations, configure, time, logs);

    /// <summary>A client whose operations call <paramref name="baseUrl"/> (a loopback host, with a base path when the test needs one).</summary>
    public static UnifiedContactsClient Client(
        string baseUrl,
        IReadOnlyList<ProviderOperation> operations,
        Action<TrutoMappingsOptions>? configure = null,
        TimeProvider? time = null,
        ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        if (logs is not null)
        {
            services.AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        }
        var table = new OperationTable(operations
            .GroupBy(o => o is BatchOperation ? "batch_delete" : "delete")
            .Select(g => new UnifiedOperation(Resource, g.Key, g)));
        services.AddTrutoMappingsRuntime(table, o =>
        {
            o.RetryBaseDelay = TimeSpan.Zero;
            foreach (var provider in table.Providers)
            {
                o.ProviderBaseUrls[provider.Info.Name] = baseUrl;
            }
            configure?.Invoke(o);
        });
        return services.BuildServiceProvider().GetRequiredService<UnifiedContactsClient>();
    }

    /// <summary>An account of <paramref name="integration"/> with an empty context.</summary>
    public static IntegratedAccount Account(string integration, string id = "acc-1") => new(id, integration, AccountContext.Parse("{}"));
}
