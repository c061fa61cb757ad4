using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using Scalar.AspNetCore;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;
using Truto.Mappings.OAuth;
using Truto.Mappings.Operations;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Connect;
using Truto.Mappings.Server.Docs;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Endpoints.Filters;
using Truto.Mappings.Server.Health;
using Truto.Mappings.Server.Http;
using Truto.Mappings.Server.Jobs;
using Truto.Mappings.Server.OpenApi;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Telemetry;

namespace Truto.Mappings.Server;

/// <summary>Builds the server: services from configuration, then the HTTP pipeline and endpoints.</summary>
public static class ServerApp
{
    /// <summary>The API reference page (Scalar) built from the OpenAPI document.</summary>
    public const string ApiReferencePath = "/docs/api";

    /// <summary>The request body limit when configuration sets none (1 MiB).</summary>
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The service key of the store under <see cref="EncryptingStore"/> (rows as stored, contexts encrypted).</summary>
    private const string StoreKey = "Truto.Mappings.Store";

    /// <summary>Registers storage, tokens, Data Protection and the runtime, all from configuration.</summary>
    public static void AddTrutoServer(this IServiceCollection services, IConfiguration configuration)
    {
        // With PostgreSQL, one pool per process (ConnectionStrings:Truto, its Maximum Pool Size the
        // instance's whole budget): the store, the rate limiter, the key ring and the OAuth refresh
        // lock all take their connections from it. Created when first used (only PostgreSQL uses it,
        // and sandbox mode may adjust configuration after this call); the container disposes it.
        services.AddSingleton(_ => NpgsqlDataSource.Create(StoreProvider.PostgreSqlConnectionString(configuration)));
        // DataProtection:KeysFolder, DataProtection:Certificate:Path and :Password.
        KeyRing.AddTo(services, configuration);
        services.AddSingleton<KeyRing>();
        services.AddSingleton<Health.Readiness>();
        services.AddSingleton<ContextProtector>();
        // Store:Provider (sqlite | postgresql) and ConnectionStrings:Truto. Read when first used, so modes
        // that adjust configuration after this call (sandbox) are honoured; registered itself so the
        // container disposes it (PostgreSQL's connection pool).
        services.AddKeyedSingleton(StoreKey, (sp, _) => StoreProvider.Create(configuration, sp.GetRequiredService<NpgsqlDataSource>));
        services.AddSingleton(sp => new EncryptingStore(
            sp.GetRequiredKeyedService<ITrutoStore>(StoreKey),
            sp.GetRequiredService<ContextProtector>()));
        // Cache:AccountTtl, TokenTtl, MaxAccounts, MaxTokens: decrypted accounts and token checks kept in
        // memory, dropped on every change made here and, on PostgreSQL, on every other instance's (NOTIFY).
        services.Configure<CacheOptions>(configuration.GetSection("Cache"));
        services.AddSingleton<StoreCache>();
        if (StoreProvider.IsPostgreSql(configuration))
        {
            services.AddSingleton(sp => new PostgresStoreChanges(
                sp.GetRequiredService<NpgsqlDataSource>(), StoreProvider.PostgreSqlConnectionString(configuration), sp.GetRequiredService<StoreCache>(),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresStoreChanges>>()));
            services.AddSingleton<IStoreChangePublisher>(sp => sp.GetRequiredService<PostgresStoreChanges>());
            services.AddHostedService(sp => sp.GetRequiredService<PostgresStoreChanges>());
        }
        services.AddSingleton<ITrutoStore>(sp => new CachingStore(
            sp.GetRequiredService<EncryptingStore>(), sp.GetRequiredService<StoreCache>(),
            sp.GetService<IStoreChangePublisher>(), sp.GetRequiredService<ILogger<CachingStore>>()));
        // Jobs: the rows as stored (ids and outcomes hold no credentials), in the same database.
        services.AddSingleton(sp => (IBatchJobStore)sp.GetRequiredKeyedService<ITrutoStore>(StoreKey));
        // Jobs:LeaseDuration, PollInterval, SliceSize, Workers, MaxAttempts, Retention, CallbackSigningSecret, CallbackAttempts, CallbackRetryDelay, CallbackTimeout.
        services.Configure<JobOptions>(configuration.GetSection("Jobs"));
        services.AddSingleton<JobWakeup>();
        services.AddSingleton<JobCallbackSender>();
        services.AddSingleton<JobRetentionSweep>();
        services.AddSingleton<BatchJobProcessor>();
        services.AddSingleton<BatchJobRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchJobRunner>());
        // Callback URLs are the caller's: their connections are checked as provider calls are.
        services.AddHttpClient(JobCallbackSender.ClientName).ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<Egress.EgressPolicy>().CreateGuardedHandler());
        // Refreshed OAuth tokens are saved (encrypted) before use; refused ones mark the account needs_reauth.
        services.AddSingleton<IAccountTokenStore>(sp => new StoredAccountTokens(sp.GetRequiredService<ITrutoStore>()));
        if (StoreProvider.IsPostgreSql(configuration))
        {
            // Several instances: one token request per account across all of them (an advisory lock per
            // account, then the stored tokens re-read past the cache). SQLite is one instance: its in-process single flight is enough.
            services.AddSingleton<IAccountRefreshLock>(sp => new PostgresAccountRefreshLock(
                sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<EncryptingStore>()));
        }
        // With PostgreSQL the declared provider rates hold for all instances together (one booking
        // per call in the shared database); with SQLite (one instance) the runtime's in-process limiter.
        services.AddSingleton<IProviderRateLimiter>(sp => StoreProvider.IsPostgreSql(configuration)
            ? new PostgresRateLimiter(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PostgresRateLimiter>>())
            : new ProviderRateLimiters(sp.GetRequiredService<TimeProvider>()));
        services.Configure<TokenOptions>(o => o.EnvironmentToken = configuration["TRUTO_API_TOKEN"]);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ApiTokens>();
        services.AddSingleton<SandboxState>();
        // Connect:AllowedRedirectUris:0, …, Connect:StateLifetime, Connect:LinkLifetime.
        services.Configure<ConnectOptions>(configuration.GetSection("Connect"));
        services.AddSingleton<ConnectLinks>();
        services.AddSingleton<ConnectFlow>();
        // Server:IdempotencyWindow (24 h).
        services.Configure<ServerOptions>(configuration.GetSection("Server"));
        // Telemetry:Prometheus:Enabled, :Path; OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_* variables.
        services.AddTrutoTelemetry(configuration);
        // Mappings:InterpretedFolder: provider files run through the interpreter, beside the compiled ones.
        services.AddTrutoMappings(InterpretedProviderFolder.Load(configuration), options =>
        {
            // Runtime:ProviderTimeout, MaxAttempts, MaxRetryWait, RetryBaseDelay, MaxBatchIds, MaxResponseBytes,
            // CallDeadline, BatchDeadline, Breaker*, MaxRawResponseBytes, MaxRawResponseBytesPerAnswer (TrutoMappingsOptions).
            configuration.GetSection("Runtime").Bind(options);
            // Egress:AllowedBaseUrls:0, :1, …: origins accounts may point at besides the hosts the YAML declares.
            configuration.GetSection("Egress").Bind(options.Egress);
            // Telemetry:PropagateTraceContext (false): whether provider calls and callbacks carry traceparent.
            options.PropagateTraceContext = configuration.GetValue("Telemetry:PropagateTraceContext", false);
            foreach (var provider in configuration.GetSection("Providers").GetChildren())
            {
                if (provider["BaseUrl"] is { Length: > 0 } baseUrl)
                {
                    options.ProviderBaseUrls[provider.Key] = baseUrl;
                }
                // Providers:{name}:ClientId, :ClientSecret, :TokenUrl, :AuthorizeUrl: the operator's OAuth app.
                if (provider["ClientId"] is not null || provider["ClientSecret"] is not null || provider["TokenUrl"] is not null || provider["AuthorizeUrl"] is not null)
                {
                    options.OAuthClients[provider.Key] = new OAuthClientOptions
                    {
                        ClientId = provider["ClientId"],
                        ClientSecret = provider["ClientSecret"],
                        TokenUrl = provider["TokenUrl"],
                        AuthorizeUrl = provider["AuthorizeUrl"],
                    };
                }
            }
            // OAuth:RefreshSkew (60 s): tokens expiring within it are refreshed before a call.
            if (configuration.GetValue<TimeSpan?>("OAuth:RefreshSkew") is { } skew)
            {
                options.OAuthRefreshSkew = skew;
            }
        });
    }

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddTrutoServer(builder.Configuration);
        builder.Services.AddTrutoOpenApi();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Server:MaxRequestBodyBytes", DefaultMaxRequestBodyBytes));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        configure?.Invoke(builder);
        var app = builder.Build();
        InterpretedProviderFolder.LogInterpreted(app.Services.GetRequiredService<ProviderCatalog>(), app.Logger);

        app.UseMiddleware<RequestLogging>();
        app.UseExceptionHandler(error => error.Run(context =>
        {
            // Never a stack trace: the envelope says only that it failed and which request it was.
            var status = context.Features.Get<IExceptionHandlerFeature>()?.Error is BadHttpRequestException bad ? bad.StatusCode : 500;
            return ErrorResponses.WriteAsync(context, new TrutoError(status, status == 500
                ? $"The server failed to handle the request (request id {context.TraceIdentifier})."
                : "The request could not be read."));
        }));
        app.UseStatusCodePages(context => context.HttpContext.Response.HasStarted
            ? Task.CompletedTask
            : ErrorResponses.WriteAsync(context.HttpContext, new TrutoError(context.HttpContext.Response.StatusCode, context.HttpContext.Response.StatusCode == 404
                ? $"No route {context.HttpContext.Request.Method} {context.HttpContext.Request.Path}."
                : TrutoError.ReasonPhrase(context.HttpContext.Response.StatusCode) + ".")));

        app.MapGet("/healthz", () => Results.Json(new { status = "ok" })).WithName("Health");
        app.MapGet("/readyz", (Readiness readiness, HttpContext http) => readiness.CheckAsync(http.RequestAborted)).WithName("Readiness");
        app.MapTrutoTelemetry();
        app.MapOpenApi();
        // Public pages for people, not API operations: kept out of the OpenAPI document.
        var pages = app.MapGroup("").ExcludeFromDescription();
        pages.MapDocsPages();
        pages.MapConnectPages();
        pages.MapScalarApiReference(ApiReferencePath, options => options
            .WithTitle("Truto.Mappings API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));

        var api = app.MapGroup("").RequireApiToken();
        api.MapUnifiedEndpoints(app.Services.GetRequiredService<OperationTable>());
        api.MapAccountEndpoints();
        api.MapConnectLinkEndpoint();
        // Meta endpoints are described by route (TrutoOperationTransformer); their file stays as it is.
        api.MapGroup("").WithMetadata(new MetaOperationMetadata()).MapMetaEndpoints();

        app.MapFallback((HttpContext context) => ErrorResponses.Result(new TrutoError(404, $"No route {context.Request.Method} {context.Request.Path}.")));
        return app;
    }

    /// <summary>
    /// Checks settings that must agree (<see cref="ServerOptions.CheckAgainst"/>), creates and
    /// migrates the database, then checks that the key ring can decrypt what it holds
    /// (<see cref="KeyRing.CheckAsync"/>), before the server takes requests; a
    /// <see cref="StartupException"/> says what to fix.
    /// </summary>
    public static async Task MigrateAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        var runtime = app.Services.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value;
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        server.CheckAgainst(runtime);
        app.Services.GetRequiredService<IOptions<Jobs.JobOptions>>().Value.Check(runtime, server);
        await app.Services.GetRequiredService<ITrutoStore>().MigrateAsync(cancellationToken);
        await app.Services.GetRequiredService<KeyRing>().CheckAsync(cancellationToken);
    }

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true };
}
