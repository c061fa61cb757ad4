using System.Diagnostics;
using Npgsql;

namespace Truto.Mappings.Testing;

/// <summary>
/// A throwaway PostgreSQL server from Debian's <c>postgresql</c> package: <c>initdb</c> and
/// <c>pg_ctl</c> in a temporary directory, listening on a unix socket in that directory only (no TCP
/// port to collide with other runs), without fsync (durability is not what is measured or tested).
/// As root (CI containers) it runs as the <c>postgres</c> user through <c>runuser</c>, because
/// <c>initdb</c> refuses root. Shared by the test fixture and the benchmarks.
/// </summary>
internal sealed class TemporaryPostgres : IAsyncDisposable
{
    // The socket file is {directory}/.s.PGSQL.{port}; the port only names it.
    private const int Port = 5432;
    private const string User = "truto";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-pg-" + Guid.NewGuid().ToString("N")[..12]);
    private string _bin = "";

    private TemporaryPostgres()
    {
    }

    private string DataDirectory => Path.Combine(_directory, "data");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Creates the cluster and starts it; stopped and deleted by <see cref="DisposeAsync"/>.</summary>
    public static async Task<TemporaryPostgres> StartAsync()
    {
        var server = new TemporaryPostgres();
        await server.InitializeAsync();
        return server;
    }

    /// <summary>A connection string for <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database)
        => new NpgsqlConnectionStringBuilder { Host = _directory, Port = Port, Username = User, Database = database, Pooling = true }.ConnectionString;

    /// <summary>Creates an empty database with a new name and returns it.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    /// <summary>Drops <paramref name="database"/>, closing the connections still open on it (pools of stores under test).</summary>
    public async Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {database} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunPostgresToolAsync("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "stop");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private async Task InitializeAsync()
    {
        _bin = FindBinaries();
        Directory.CreateDirectory(_directory);
        if (IsRoot)
        {
            await RunAsync("chown", "postgres:postgres", _directory);
        }
        // Trust on the socket only: the directory is the server user's, nothing listens on TCP.
        await RunPostgresToolAsync("initdb", "-D", DataDirectory, "-U", User, "-A", "trust", "-E", "UTF8", "--no-sync");
        // Durability is not under test: no fsync keeps CREATE DATABASE per test class cheap.
        var options = $"-c listen_addresses='' -c unix_socket_directories='{_directory}' -p {Port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        await RunPostgresToolAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_directory, "server.log"), "-o", options, "-w", "-t", "60", "start");
    }

    /// <summary>The newest installed server's binaries: /usr/lib/postgresql/{version}/bin.</summary>
    private static string FindBinaries()
    {
        const string Root = "/usr/lib/postgresql";
        var bin = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Select(d => (Path: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .Where(d => File.Exists(Path.Combine(d.Path, "initdb")))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Path)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL is not installed: the store tests need Debian's postgresql package (apt-get install postgresql; .ci/run does this).");
    }

    private Task RunPostgresToolAsync(string tool, params string[] arguments)
        => IsRoot
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
            : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
