using System.Globalization;
using Microsoft.Data.Sqlite;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>The conformance suite on <see cref="SqliteTrutoStore"/>, a real file per test.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-store-conformance", Guid.NewGuid().ToString("N"));

    private string ConnectionString => $"Data Source={Path.Combine(_directory, "store.db")};Pooling=False";

    protected override int SchemaVersion => SqliteTrutoStore.SchemaVersion;

    protected override ITrutoStore CreateStore() => new SqliteTrutoStore(ConnectionString);

    /// <summary>SQLite records the version only (PRAGMA user_version): versions 1…user_version are applied.</summary>
    protected override async Task<IReadOnlyList<int>> AppliedMigrationsAsync()
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Enumerable.Range(1, Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)).ToList();
    }

    public override Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        return Task.CompletedTask;
    }

    public override Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
