using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// Debian's chromium, headless, driven over the DevTools protocol: navigate, run a line of script
/// (fill a field, press a button), and wait until the page is where a condition says.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "truto-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}", "about:blank"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start)!;
        var chromium = new HeadlessChromium(process, profile);
        try
        {
            using var timeout = new CancellationTokenSource(Patience);
            string? line;
            var port = "";
            while ((line = await process.StandardError.ReadLineAsync(timeout.Token)) is not null)
            {
                const string Marker = "DevTools listening on ws://127.0.0.1:";
                if (line.StartsWith(Marker, StringComparison.Ordinal))
                {
                    port = line[Marker.Length..line.IndexOf('/', Marker.Length)];
                    break;
                }
            }
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var http = new HttpClient();
            var targets = (await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list", timeout.Token))!;
            var page = targets.First(t => (string?)t!["type"] == "page")!;
            await chromium._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), timeout.Token);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    public Task NavigateAsync(Uri url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url.ToString() });

    /// <summary>Runs <paramref name="script"/> in the page; answers its value as text.</summary>
    public async Task<string?> EvaluateAsync(string script)
    {
        var answer = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = script, ["returnByValue"] = true });
        return answer["result"]?["result"]?["value"]?.ToString();
    }

    /// <summary>Waits until <paramref name="script"/> is true in the page (a page still loading is asked again).</summary>
    public async Task WaitUntilAsync(string script)
    {
        var deadline = Stopwatch.StartNew();
        while (await EvaluateAsync($"(() => {{ try {{ return !!({script}); }} catch {{ return false; }} }})()") != "true")
        {
            Assert.True(deadline.Elapsed < Patience, $"The page never satisfied {script}; it is at {await EvaluateAsync("location.href")}.");
            await Task.Delay(50);
        }
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters)
    {
        var id = Interlocked.Increment(ref _nextId);
        using var timeout = new CancellationTokenSource(Patience);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters }.ToJsonString();
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var text = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, timeout.Token);
                text.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            // Events and answers to other commands are skipped: only this command's answer is waited for.
            if (JsonNode.Parse(text.ToArray()) is JsonObject answer && (int?)answer["id"] == id)
            {
                return answer;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may hold a file for a moment after exit; the temp folder keeps it.
        }
    }
}
