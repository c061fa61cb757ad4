namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// Several <see cref="ServerProcess"/>es that must act as one: the same settings for all (one
/// database, one Data Protection key ring — in the database with PostgreSQL, else one keys folder —
/// the same API token and egress allowances),
/// started in parallel, named A, B, C, … in failure messages.
/// <para>
/// Before the processes start, one admin command (<c>tokens create</c>) runs on the same settings:
/// it migrates the database once and gives the tests a stored token (<see cref="AdminToken"/>), the
/// way an operator prepares a deployment. Servers can be stopped, killed and started again
/// (<see cref="RestartAsync"/>) with the same settings.
/// </para>
/// </summary>
internal sealed class ServerCluster : IAsyncDisposable
{
    /// <summary>The token every process accepts from its environment (<c>TRUTO_API_TOKEN</c>): every scope, every tenant.</summary>
    public const string EnvironmentToken = "cluster-environment-token";

    private readonly ServerProcess?[] _servers;
    private readonly Dictionary<string, string> _settings;
    private readonly Func<string, IReadOnlyDictionary<string, string>>? _perServer;

    private ServerCluster(string directory, Dictionary<string, string> settings, Func<string, IReadOnlyDictionary<string, string>>? perServer, int count)
    {
        Directory = directory;
        _settings = settings;
        _perServer = perServer;
        _servers = new ServerProcess?[count];
    }

    /// <summary>The temporary folder of the cluster: the shared keys folder and each process's working directory.</summary>
    public string Directory { get; }

    /// <summary>The settings every process gets, as environment variables (before any of one server's own).</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>A token stored with <c>tokens create</c> before the servers started (every scope).</summary>
    public string AdminToken { get; private set; } = "";

    /// <summary>The running server <paramref name="index"/> (0 is A).</summary>
    public ServerProcess this[int index] => _servers[index] ?? throw new InvalidOperationException($"Server {Name(index)} is not running.");

    /// <summary>How many servers the cluster has (running or not).</summary>
    public int Count => _servers.Length;

    /// <summary>
    /// Starts <paramref name="count"/> servers with <paramref name="settings"/> (environment variables,
    /// <c>Section__Key</c>) plus a shared keys folder and <see cref="EnvironmentToken"/>;
    /// <paramref name="perServer"/> adds or replaces settings of the server it names (A, B, …).
    /// </summary>
    public static async Task<ServerCluster> StartAsync(int count, IReadOnlyDictionary<string, string> settings, Func<string, IReadOnlyDictionary<string, string>>? perServer = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "truto-cluster-tests", Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var all = new Dictionary<string, string>(settings)
        {
            ["DataProtection__KeysFolder"] = Path.Combine(directory, "keys"),
            ["TRUTO_API_TOKEN"] = EnvironmentToken,
            // Warnings and errors only (a line per request or provider call would push what went wrong
            // out of the kept output), and the line that says where the server listens.
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        var cluster = new ServerCluster(directory, all, perServer, count);
        try
        {
            var (exit, output, error) = await ServerProcess.RunCommandAsync(all, directory, "tokens", "create", "--name", "cluster-admin");
            if (exit != 0)
            {
                throw new InvalidOperationException($"tokens create failed ({exit}): {error}");
            }
            cluster.AdminToken = output.Trim();
            await Task.WhenAll(Enumerable.Range(0, count).Select(cluster.StartServerAsync));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs an admin command (<c>tokens revoke --id …</c>) with the cluster's settings.</summary>
    public Task<(int Exit, string Output, string Error)> RunCommandAsync(params string[] args)
        => ServerProcess.RunCommandAsync(_settings, Directory, args);

    /// <summary>Starts server <paramref name="index"/> again after it was stopped or killed.</summary>
    public async Task RestartAsync(int index)
    {
        if (_servers[index] is { } old)
        {
            await old.DisposeAsync();
            _servers[index] = null;
        }
        await StartServerAsync(index);
    }

    /// <summary>Everything the servers wrote (their last lines), for a failure message.</summary>
    public string Output => string.Join('\n', _servers.Where(s => s is not null).Select(s => s!.Output));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_servers.Where(s => s is not null).Select(s => s!.DisposeAsync().AsTask()));
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held is left in the temp folder.
        }
    }

    private async Task StartServerAsync(int index)
    {
        var name = Name(index);
        var workingDirectory = Path.Combine(Directory, name);
        System.IO.Directory.CreateDirectory(workingDirectory);
        var settings = new Dictionary<string, string>(_settings);
        foreach (var (key, value) in _perServer?.Invoke(name) ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }
        _servers[index] = await ServerProcess.StartAsync(name, settings, workingDirectory);
    }

    private static string Name(int index) => ((char)('A' + index)).ToString();
}
