using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// One real server process — <c>dotnet Truto.Mappings.Server.dll</c> from the test output, the
/// executable an operator runs — on a loopback port the OS picks, configured by environment
/// variables the standard way (<c>Store__Provider</c>, <c>ConnectionStrings__Truto</c>, …).
/// <para>
/// It learns its port from Kestrel's <c>Now listening on: …</c> line (logged once migrations ran and
/// the server accepts connections), then checks <c>/healthz</c>; no sleeps. Every line the process
/// writes is kept (the last <see cref="KeptLines"/>) for failure messages. <see cref="StopAsync"/>
/// stops it as a deployment does (SIGTERM: requests in flight finish), <see cref="Kill"/> as a crash
/// does (SIGKILL: nothing finishes). Disposing kills what still runs, and processes still running
/// when the test host exits are killed then, so a failing test leaves no server behind.
/// </para>
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    /// <summary>How many of the last output lines are kept for failure messages.</summary>
    public const int KeptLines = 400;

    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopPatience = TimeSpan.FromSeconds(30);
    private static readonly ConcurrentDictionary<ServerProcess, byte> Running = new();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    static ServerProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var server in Running.Keys)
        {
            server.KillNow();
        }
    };

    private ServerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>The name used in failure messages (A, B, C, …).</summary>
    public string Name { get; }

    /// <summary>The server's address, <c>http://127.0.0.1:{port}</c>, once started.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>The operating system's id of the process.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited (stopped, killed or crashed).</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>The last lines the process wrote (stdout and stderr, interleaved as they arrived).</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>
    /// Starts the server with <paramref name="settings"/> as environment variables (<c>Section__Key</c>)
    /// in <paramref name="workingDirectory"/>, and returns once it answers <c>/healthz</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">It exited or did not listen in time; the message holds its output.</exception>
    public static async Task<ServerProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        var server = new ServerProcess(name, new Process { StartInfo = StartInfo(["--urls", "http://127.0.0.1:0"], settings, workingDirectory), EnableRaisingEvents = true });
        server.Begin();
        try
        {
            var url = await server._listening.Task.WaitAsync(StartPatience);
            using var client = new HttpClient { BaseAddress = url, Timeout = StartPatience };
            using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            if (!health.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"/healthz answered {(int)health.StatusCode}");
            }
            server.Url = url;
            return server;
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"Server {name} did not start: {e.Message}\n{server.Output}", e);
        }
    }

    /// <summary>
    /// Runs the same executable once as an admin command (<c>tokens create …</c>) with the same kind
    /// of settings, and returns its exit code, stdout and stderr.
    /// </summary>
    public static async Task<(int Exit, string Output, string Error)> RunCommandAsync(IReadOnlyDictionary<string, string> settings, string workingDirectory, params string[] args)
    {
        var start = StartInfo(args, settings, workingDirectory);
        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(StartPatience);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A client for this server sending <paramref name="token"/>.</summary>
    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Stops the server gracefully (SIGTERM, as a deployment or <c>docker stop</c> does): it stops
    /// taking requests, lets those in flight finish within its shutdown timeout, and exits.
    /// </summary>
    public async Task StopAsync()
    {
        if (HasExited)
        {
            return;
        }
        var (exit, _, error) = await RunCommandAsync("kill", "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (exit != 0 && !HasExited)
        {
            throw new InvalidOperationException($"kill -TERM {Id} failed: {error}");
        }
        await _exited.Task.WaitAsync(StopPatience);
    }

    /// <summary>Kills the server at once (SIGKILL, like a crash or an OOM kill): nothing in flight finishes, nothing is cleaned up.</summary>
    public async Task KillAsync()
    {
        KillNow();
        await _exited.Task.WaitAsync(StopPatience);
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            KillNow();
            await _exited.Task.WaitAsync(StopPatience);
        }
        Running.TryRemove(this, out _);
        _process.Dispose();
    }

    private void KillNow()
    {
        try
        {
            // On Linux this is SIGKILL to the process and its children.
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
    }

    private void Begin()
    {
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Exited += (_, _) =>
        {
            // Exited may run before the last output lines were read; WaitForExit() drains them.
            _process.WaitForExit();
            _listening.TrySetException(new InvalidOperationException($"the process exited with code {_process.ExitCode} before listening"));
            Running.TryRemove(this, out _);
            _exited.TrySetResult();
        };
        Running.TryAdd(this, 0);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }
        _lines.Enqueue($"[{Name}] {line}");
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string> settings, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Truto.Mappings.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The server's appsettings.json is copied beside it into the test output: read it from there,
        // while relative paths (a default truto.db) stay in the working directory.
        start.Environment["ASPNETCORE_CONTENTROOT"] = AppContext.BaseDirectory;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        return start;
    }

    private static async Task<(int Exit, string Output, string Error)> RunCommandAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();
}
