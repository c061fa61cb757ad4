using Npgsql;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Cluster;

/// <summary>
/// Keeps the instances' <see cref="StoreCache"/>s in step on PostgreSQL: every change made through
/// an instance (or an admin command) is a <c>NOTIFY truto_store_changes</c>, and each instance
/// <c>LISTEN</c>s on a connection of its own (outside the instance's shared pool: it is held for
/// good, with TCP keepalive) and drops the copies named; notifications are sent through the shared pool. Notifications are not
/// queued for a connection that is not there, so every (re)connection clears the whole cache; while
/// no connection listens, <see cref="CacheOptions.AccountTtl"/> and <see cref="CacheOptions.TokenTtl"/> bound what is missed.
/// </summary>
public sealed partial class PostgresStoreChanges : BackgroundService, IStoreChangePublisher
{
    /// <summary>The notification channel.</summary>
    public const string Channel = "truto_store_changes";

    private const string AccountPrefix = "account:";
    private const string TokensPayload = "tokens";

    // A NOTIFY that cannot be sent within this is given up: the change itself has landed, and the TTL bounds the rest.
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _listening;
    private readonly StoreCache _cache;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresStoreChanges> _logger;

    /// <param name="dataSource">The instance's shared pool, which sends the notifications.</param>
    /// <param name="connectionString">The same database, for the one listening connection.</param>
    /// <param name="cache">The instance's cache, cleared of what other instances change.</param>
    /// <param name="time">Paces reconnecting.</param>
    /// <param name="logger">Where a lost listening connection is reported.</param>
    public PostgresStoreChanges(NpgsqlDataSource dataSource, string connectionString, StoreCache cache, TimeProvider time, ILogger<PostgresStoreChanges> logger)
    {
        _dataSource = dataSource;
        // Keepalive: a listening connection that died quietly is noticed (and the cache cleared) within seconds.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 10, MaxPoolSize = 1 };
        _listening = NpgsqlDataSource.Create(builder.ConnectionString);
        _cache = cache;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task PublishAsync(StoreChangeKind kind, string? accountId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        await using var command = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = Channel });
        command.Parameters.Add(new NpgsqlParameter { Value = kind == StoreChangeKind.Tokens ? TokensPayload : AccountPrefix + accountId });
        await command.ExecuteNonQueryAsync(timeout.Token);
    }

    /// <summary>Applies one notification's payload to <paramref name="cache"/>; unknown payloads clear it (a newer version's change).</summary>
    public static void Apply(StoreCache cache, string payload)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(payload);
        if (payload.StartsWith(AccountPrefix, StringComparison.Ordinal))
        {
            cache.ForgetAccount(payload[AccountPrefix.Length..]);
        }
        else if (payload == TokensPayload)
        {
            cache.ForgetTokens();
        }
        else
        {
            cache.Clear();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _listening.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Apply(_cache, e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                // Whatever changed while nothing listened was missed.
                _cache.Clear();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or System.IO.IOException or InvalidOperationException)
            {
                _cache.Clear();
                LogListenFailed(_logger, e.GetType().Name);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public override void Dispose()
    {
        _listening.Dispose();
        base.Dispose();
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Listening for store changes failed ({Error}); the cache was cleared and the connection is tried again in 1 s (copies expire within Cache:AccountTtl meanwhile).")]
    private static partial void LogListenFailed(ILogger logger, string error);
}
