using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;
using Truto.Mappings.OAuth;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Cluster;

/// <summary>
/// With PostgreSQL one process has one Npgsql pool: the store, the rate limiter, the key ring and
/// the OAuth refresh lock all take connections from the <see cref="NpgsqlDataSource"/> the server
/// registers, so <c>Maximum Pool Size</c> is the instance's whole budget. Shown by holding every
/// connection of that pool: then none of the four can get one, and once they are given back all can.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class SharedPoolTests(PostgresServer postgres) : IAsyncLifetime
{
    private const int PoolSize = 2;

    private string _database = "";
    private TestServer _server = null!;

    [Fact]
    public async Task The_store_rate_limiter_key_ring_and_refresh_lock_share_the_one_pool_of_ConnectionStrings_Truto()
    {
        var account = await _server.CreateAccountAsync("hubspot", TestServer.HubSpotContext());
        var services = _server.Services;
        var pool = services.GetRequiredService<NpgsqlDataSource>();
        var jobs = services.GetRequiredService<IBatchJobStore>();
        var limiter = services.GetRequiredService<IProviderRateLimiter>();
        var keyRing = services.GetRequiredService<PostgresXmlRepository>();
        var refreshLock = services.GetRequiredService<IAccountRefreshLock>();
        var rate = new RequestRate(100, TimeSpan.FromSeconds(1), 100);

        var held = new List<NpgsqlConnection>();
        for (var i = 0; i < PoolSize; i++)
        {
            held.Add(await pool.OpenConnectionAsync());
        }
        // Every connection of the pool is held: each of the four waits its Timeout (1 s) and fails.
        var store = await Record.ExceptionAsync(() => jobs.FindJobAsync("none", CancellationToken.None));
        var booking = await Record.ExceptionAsync(() => limiter.WaitAsync("hubspot", account, [rate], Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask());
        var ring = Record.Exception(() => keyRing.GetAllElements());
        var locking = await Record.ExceptionAsync(() => refreshLock.AcquireAsync(account, CancellationToken.None));
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }

        Assert.IsType<PostgresRateLimiter>(limiter);
        Assert.All([store, booking, ring, locking], Assert.NotNull);
        Assert.IsType<RateLimiterUnavailableException>(booking);
        // Given back, the same pool serves all four again.
        Assert.Null(await jobs.FindJobAsync("none", CancellationToken.None));
        await limiter.WaitAsync("hubspot", account, [rate], Timeout.InfiniteTimeSpan, CancellationToken.None);
        Assert.NotEmpty(keyRing.GetAllElements());
        await using (var lease = await refreshLock.AcquireAsync(account, CancellationToken.None))
        {
            Assert.NotNull(lease.StoredContext);
        }
    }

    public async Task InitializeAsync()
    {
        _database = await postgres.CreateDatabaseAsync();
        _server = await TestServer.StartAsync("--Store:Provider=postgresql",
            $"--ConnectionStrings:Truto={postgres.ConnectionString(_database)};Maximum Pool Size={PoolSize};Timeout=1");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await postgres.DropDatabaseAsync(_database);
    }
}
