using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Egress;
using Truto.Mappings.Http;
using Truto.Mappings.Operations;

namespace Truto.Mappings.DependencyInjection;

/// <summary>Registers the runtime. Applications call the generated library's <c>AddTrutoMappings()</c>, which calls this with its providers.</summary>
public static class TrutoMappingsServiceCollectionExtensions
{
    /// <summary>
    /// The name of the <see cref="HttpClient"/> provider calls use: configure it further by this name
    /// (a handler that records instead of sending, as the CLI's dry runs do).
    /// </summary>
    public const string ProviderClientName = ProviderTransport.ClientName;

    /// <summary>
    /// Adds <see cref="UnifiedContactsClient"/> over an operation table (the generated
    /// <c>GeneratedProviders.Operations</c>), the <see cref="ProviderCatalog"/> of its providers,
    /// the <see cref="EgressPolicy"/> and <see cref="AccountContextValidator"/>, and a named <see cref="HttpClient"/> for provider calls (configure it further by the name
    /// <c>Truto.Mappings.Providers</c>).
    /// </summary>
    /// <summary>
    /// The same over several operation tables, combined (<see cref="OperationTable.Combine"/>): the
    /// built-in providers' and a project's own, whose adapters the generator compiled into its assembly.
    /// </summary>
    /// <exception cref="InvalidOperationException">Two tables have providers of the same integration name.</exception>
    public static IServiceCollection AddTrutoMappingsRuntime(this IServiceCollection services, IEnumerable<OperationTable> operations, Action<TrutoMappingsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(operations);
        return services.AddTrutoMappingsRuntime(OperationTable.Combine(operations), configure);
    }

    /// <summary>Adds the runtime over one operation table (see the overload above for the services added).</summary>
    public static IServiceCollection AddTrutoMappingsRuntime(this IServiceCollection services, OperationTable operations, Action<TrutoMappingsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(operations);
        var catalog = new ProviderCatalog(operations.Providers);
        services.AddOptions<TrutoMappingsOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.AddHttpClient(ProviderTransport.ClientName, client =>
        {
            // Timeouts are per attempt in the retry pipeline; the client must not cut a call short.
            client.Timeout = Timeout.InfiniteTimeSpan;
        })
            // A provider's redirect is answered, never followed: following would carry the
            // account's credentials to whatever host the redirect names (a 3xx becomes a 502).
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                // An answer left unread (past Runtime:MaxResponseBytes, a stream the caller dropped)
                // closes its connection instead of being drained for reuse: nothing more is read.
                MaxResponseDrainSize = 0,
                // Every connection is checked where it is made: loopback, private and link-local
                // addresses only for origins the egress policy allows.
                ConnectCallback = new ConnectGuard(sp.GetRequiredService<EgressPolicy>()).ConnectAsync,
                // Providers are third parties: no traceparent unless TrutoMappingsOptions.PropagateTraceContext.
                ActivityHeadersPropagator = EgressPolicy.TracePropagator(sp.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value),
            })
            // The transport logs each call once, by its path only; the factory's own four lines per
            // call (at Information, with the query string, which may hold secrets) are not wanted.
            .RemoveAllLoggers();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(catalog);
        services.TryAddSingleton(operations);
        // In-process pacing by default; a host with several instances registers a shared limiter first.
        services.TryAddSingleton<IProviderRateLimiter, ProviderRateLimiters>();
        services.TryAddSingleton(sp => new EgressPolicy(sp.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value));
        services.TryAddSingleton(sp => new AccountContextValidator(
            sp.GetRequiredService<EgressPolicy>(),
            new BaseUrlResolver(sp.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value, sp.GetRequiredService<EgressPolicy>())));
        services.TryAddSingleton(sp => new ProviderCircuitBreakers(
            sp.GetRequiredService<IOptions<TrutoMappingsOptions>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ProviderTransport(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<TrutoMappingsOptions>>(),
            sp.GetRequiredService<ILogger<ProviderTransport>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IProviderRateLimiter>(),
            sp.GetRequiredService<ProviderCircuitBreakers>()));
        services.TryAddSingleton(sp => new OAuth.OAuthTokenClient(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<TrutoMappingsOptions>>(),
            sp.GetRequiredService<EgressPolicy>(),
            sp.GetRequiredService<AccountContextValidator>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OAuth.OAuthTokenClient>>()));
        services.TryAddSingleton<OAuth.IOAuthCodeExchange>(sp => sp.GetRequiredService<OAuth.OAuthTokenClient>());
        services.TryAddSingleton(sp => new OAuth.TokenRefresher(
            sp.GetRequiredService<OAuth.OAuthTokenClient>(),
            sp.GetService<OAuth.IAccountTokenStore>(),
            sp.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<OAuth.IAccountRefreshLock>()));
        services.TryAddSingleton(sp => new UnifiedContactsClient(
            sp.GetRequiredService<ProviderCatalog>(),
            sp.GetRequiredService<OperationTable>(),
            sp.GetRequiredService<ProviderTransport>(),
            sp.GetRequiredService<IOptions<TrutoMappingsOptions>>(),
            sp.GetRequiredService<EgressPolicy>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<OAuth.TokenRefresher>()));
        return services;
    }
}
