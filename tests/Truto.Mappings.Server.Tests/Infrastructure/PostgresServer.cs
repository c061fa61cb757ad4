using Truto.Mappings.Testing;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server (<see cref="TemporaryPostgres"/>: Debian's <c>postgresql</c> package,
/// <c>initdb</c>/<c>pg_ctl</c> in a temporary directory, a unix socket only), started once per test
/// run (<see cref="SharedPostgres"/>) and stopped and deleted at the end of it.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private TemporaryPostgres? _server;

    private TemporaryPostgres Server => _server ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) => Server.ConnectionString(database);

    /// <summary>Creates an empty database with a new name and returns it.</summary>
    public Task<string> CreateDatabaseAsync() => Server.CreateDatabaseAsync();

    /// <summary>Drops <paramref name="database"/>, closing the connections still open on it (pools of stores under test).</summary>
    public Task DropDatabaseAsync(string database) => Server.DropDatabaseAsync(database);

    public async Task InitializeAsync() => _server = await TemporaryPostgres.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
