using Npgsql;
using Truto.Mappings.Server.Storage;
using Truto.Mappings.Server.Tests.Infrastructure;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>The conformance suite on <see cref="PostgresTrutoStore"/>: a new database per test on the run's shared server.</summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresStoreConformanceTests(PostgresServer server) : StoreConformanceTests
{
    private readonly List<PostgresTrutoStore> _stores = [];
    private string _database = "";

    protected override int SchemaVersion => PostgresTrutoStore.SchemaVersion;

    protected override ITrutoStore CreateStore()
    {
        var store = new PostgresTrutoStore(server.ConnectionString(_database));
        _stores.Add(store);
        return store;
    }

    /// <summary>The rows of schema_migrations: one per applied migration, so a migration applied twice shows.</summary>
    protected override async Task<IReadOnlyList<int>> AppliedMigrationsAsync()
    {
        await using var connection = new NpgsqlConnection(server.ConnectionString(_database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }
        return versions;
    }

    public override async Task InitializeAsync() => _database = await server.CreateDatabaseAsync();

    public override async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
        await server.DropDatabaseAsync(_database);
    }
}
