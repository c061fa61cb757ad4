using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Instances;

/// <summary>
/// Three real server processes (A, B, C) on one new database of the run's PostgreSQL, with a
/// <see cref="CountingProvider"/> their accounts point at, shared by the tests of one class (each
/// test uses its own accounts). Started by the first test that asks, since the PostgreSQL server is
/// the collection's fixture, which a class fixture cannot receive; stopped after the class.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>The number of server processes.</summary>
    public const int Instances = 3;

    /// <summary>Npgsql's <c>Maximum Pool Size</c> in every instance's connection string.</summary>
    public const int PoolSize = 8;

    /// <summary><c>Jobs:SliceSize</c> of every instance: the most ids a job sends again after its instance died.</summary>
    public const int SliceSize = 20;

    private readonly Lock _lock = new();
    private Task? _start;
    private PostgresServer? _postgres;
    private string? _database;

    internal ServerCluster Cluster { get; private set; } = null!;

    internal CountingProvider Provider { get; private set; } = null!;

    /// <summary>A connection string for the cluster's database (for tests that look at it themselves).</summary>
    internal string ConnectionString => _postgres!.ConnectionString(_database!);

    /// <summary>Starts the provider and the cluster on <paramref name="postgres"/> unless they run already (a failed start fails every test of the class).</summary>
    internal Task StartAsync(PostgresServer postgres)
    {
        lock (_lock)
        {
            return _start ??= StartCoreAsync(postgres);
        }
    }

    private async Task StartCoreAsync(PostgresServer postgres)
    {
        _postgres = postgres;
        _database = await postgres.CreateDatabaseAsync();
        Provider = await CountingProvider.StartAsync();
        var connectionString = postgres.ConnectionString(_database) + $";Maximum Pool Size={PoolSize}";
        Cluster = await ServerCluster.StartAsync(
            Instances,
            new Dictionary<string, string>
            {
                ["Store__Provider"] = "postgresql",
                ["ConnectionStrings__Truto"] = connectionString,
                ["Egress__AllowedBaseUrls__0"] = Provider.Origin,
                // Jobs: a killed instance's job is taken over within seconds, and a slice (what a crash may send again) is small.
                ["Jobs__LeaseDuration"] = "00:00:05",
                ["Jobs__PollInterval"] = "00:00:00.200",
                ["Jobs__SliceSize"] = SliceSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                // Far longer than any test waits: a change one instance sees from another was announced (NOTIFY), not expired.
                ["Cache__AccountTtl"] = "00:10:00",
                ["Cache__TokenTtl"] = "00:10:00",
            },
            // Each instance names itself to PostgreSQL (pg_stat_activity.application_name), as the README advises.
            name => new Dictionary<string, string> { ["ConnectionStrings__Truto"] = connectionString + $";Application Name=truto-{name}" });
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
        if (Provider is not null)
        {
            await Provider.DisposeAsync();
        }
        if (_postgres is not null && _database is not null)
        {
            await _postgres.DropDatabaseAsync(_database);
        }
    }
}
