using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// What pacing one provider call costs: the in-process token bucket against the cluster-wide GCRA
/// booking (one upsert) on a throwaway local PostgreSQL (unix socket, the test fixture's starter).
/// The rate is so high that no call ever waits: only the booking itself is measured. The README's
/// "Running several instances" quotes these numbers to justify PostgreSQL over Redis.
/// </summary>
[MemoryDiagnoser]
#pragma warning disable CA1001 // BenchmarkDotNet owns the lifetime: [GlobalCleanup] disposes what [GlobalSetup] made.
public class RateLimitBenchmarks
#pragma warning restore CA1001
{
    private const int Concurrent = 8;

    // 2^31-1 per second with the same burst: never waits, in either limiter.
    private static readonly RequestRate[] Unbounded = [new(int.MaxValue, TimeSpan.FromSeconds(1), int.MaxValue)];

    private TemporaryPostgres _postgres = null!;
    private PostgresRateLimiter _shared = null!;
    private ProviderRateLimiters _inProcess = null!;

    [GlobalSetup]
    public async Task StartAsync()
    {
        _postgres = await TemporaryPostgres.StartAsync();
        var database = await _postgres.CreateDatabaseAsync();
        await using (var store = new PostgresTrutoStore(_postgres.ConnectionString(database)))
        {
            await store.MigrateAsync(CancellationToken.None);
        }
        _shared = new PostgresRateLimiter(_postgres.ConnectionString(database), TimeProvider.System, NullLogger<PostgresRateLimiter>.Instance);
        _inProcess = new ProviderRateLimiters();
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _shared.DisposeAsync();
        await _postgres.DisposeAsync();
    }

    [Benchmark(Baseline = true, Description = "In-process token bucket: acquire")]
    public ValueTask InProcess() => _inProcess.WaitAsync("hubspot", "acc-1", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);

    [Benchmark(Description = "PostgreSQL GCRA: acquire (one upsert)")]
    public ValueTask PostgreSql() => _shared.WaitAsync("hubspot", "acc-1", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Concurrent, Description = "PostgreSQL GCRA: 8 concurrent acquires of one account, per acquire")]
    public Task PostgreSqlContended()
        => Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => _shared.WaitAsync("hubspot", "acc-2", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask()));
}
