using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Truto.Mappings.Adapters;
using Truto.Mappings.Http;
using Truto.Mappings.Server.Cluster;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// What pacing one provider call costs: the in-process GCRA against the cluster-wide GCRA booking
/// (one call of the booking function) on a throwaway local PostgreSQL (unix socket, the test
/// fixture's starter), with one window and with four (Keap's shape: three per account, one per app).
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

    // Four such windows of different lengths, one shared by the app's accounts.
    private static readonly RequestRate[] FourUnbounded =
    [
        new(int.MaxValue, TimeSpan.FromSeconds(1), int.MaxValue),
        new(int.MaxValue, TimeSpan.FromSeconds(60), int.MaxValue),
        new(int.MaxValue, TimeSpan.FromSeconds(86400), int.MaxValue),
        new(int.MaxValue, TimeSpan.FromSeconds(61), int.MaxValue) { Scope = RateLimitScope.App },
    ];

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

    [Benchmark(Baseline = true, Description = "In-process GCRA: acquire")]
    public ValueTask InProcess() => _inProcess.WaitAsync("hubspot", "acc-1", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);

    [Benchmark(Description = "In-process GCRA: acquire, four windows")]
    public ValueTask InProcessFourWindows() => _inProcess.WaitAsync("keap", "acc-1", FourUnbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);

    [Benchmark(Description = "PostgreSQL GCRA: acquire (one booking)")]
    public ValueTask PostgreSql() => _shared.WaitAsync("hubspot", "acc-1", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);

    [Benchmark(OperationsPerInvoke = Concurrent, Description = "PostgreSQL GCRA: 8 concurrent acquires of one account, per acquire")]
    public Task PostgreSqlContended()
        => Task.WhenAll(Enumerable.Range(0, Concurrent).Select(_ => _shared.WaitAsync("hubspot", "acc-2", Unbounded, Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask()));

    [Benchmark(Description = "PostgreSQL GCRA: acquire, four windows (one booking)")]
    public ValueTask PostgreSqlFourWindows() => _shared.WaitAsync("keap", "acc-1", FourUnbounded, Timeout.InfiniteTimeSpan, CancellationToken.None);
}
