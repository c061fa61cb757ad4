using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// The real server on a loopback port with its own SQLite file and keys folder in a temp
/// directory, configured the standard way (command-line configuration, as <c>--urls</c> is).
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    public const string EnvironmentToken = "test-environment-token";

    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private TestServer(WebApplication app, string directory, Uri url)
    {
        _app = app;
        Directory = directory;
        Url = url;
        Client = new HttpClient { BaseAddress = url };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", EnvironmentToken);
    }

    public string Directory { get; }

    /// <summary>True: disposing leaves <see cref="Directory"/> (a restarted server will use it).</summary>
    public bool KeepDirectory { get; set; }

    public Uri Url { get; }

    /// <summary>A client that sends the environment token.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public string DatabasePath => Path.Combine(Directory, "truto.db");

    public static Task<TestServer> StartAsync(params string[] extraArgs) => StartAsync(null, extraArgs);

    /// <summary>Starts the server; <paramref name="configure"/> may replace services (a clock) after the server's own.</summary>
    public static Task<TestServer> StartAsync(Action<WebApplicationBuilder>? configure, params string[] extraArgs)
        => StartInAsync(Path.Combine(Path.GetTempPath(), "truto-server-tests", Guid.NewGuid().ToString("N")), configure, extraArgs);

    /// <summary>
    /// Starts the server on the database and keys in <paramref name="directory"/> (created when
    /// new): a second server on the directory of a stopped one is that server restarted. Set
    /// <see cref="KeepDirectory"/> on the first so its disposal leaves the directory.
    /// </summary>
    public static async Task<TestServer> StartInAsync(string directory, Action<WebApplicationBuilder>? configure, params string[] extraArgs)
    {
        System.IO.Directory.CreateDirectory(directory);
        string[] args =
        [
            "--urls", "http://127.0.0.1:0",
            $"--ConnectionStrings:Truto=Data Source={Path.Combine(directory, "truto.db")};Pooling=False",
            $"--DataProtection:KeysFolder={Path.Combine(directory, "keys")}",
            $"--TRUTO_API_TOKEN={EnvironmentToken}",
            "--Server:MaxRequestBodyBytes=65536",
            .. extraArgs,
        ];
        var app = ServerApp.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        try
        {
            await app.MigrateAsync();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            System.IO.Directory.Delete(directory, recursive: true);
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, directory, new Uri(address));
    }

    /// <summary>Creates an integrated account through the API (with the environment token unless <paramref name="client"/> is given) and returns its id.</summary>
    public async Task<string> CreateAccountAsync(string integration, JsonObject context, string? tenant = "acme", HttpClient? client = null)
    {
        using var response = await (client ?? Client).PostAsJsonAsync("/integrated-account", new JsonObject { ["integration"] = integration, ["tenant_id"] = tenant, ["context"] = context });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string)body!["id"]!;
    }

    /// <summary>
    /// A HubSpot context that fits hubspot.yaml's declaration (an access token; a <c>base_url</c>
    /// when given, whose origin the server must allow). A new object each time: a JSON node has one parent.
    /// </summary>
    public static JsonObject HubSpotContext(Uri? baseUrl = null)
    {
        var context = new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = "t" } } };
        if (baseUrl is not null)
        {
            context["base_url"] = baseUrl.ToString();
        }
        return context;
    }

    /// <summary>The JSON text of <see cref="HubSpotContext"/> without a base URL, for the admin commands.</summary>
    public const string HubSpotContextJson = """{"oauth":{"token":{"access_token":"t"}}}""";

    /// <summary>A client sending a new stored token that grants <paramref name="scopes"/> in <paramref name="environment"/>, limited to <paramref name="tenant"/> when given.</summary>
    public async Task<HttpClient> ClientWithTokenAsync(ApiScopes scopes, string? tenant = null, string environment = StoredAccount.DefaultEnvironment)
    {
        var (_, token) = await Services.GetRequiredService<ApiTokens>().CreateAsync("test", new ApiCaller(null, environment, scopes, tenant), CancellationToken.None);
        var client = new HttpClient { BaseAddress = Url };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        _clients.ForEach(c => c.Dispose());
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (KeepDirectory)
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left in the temp folder; it holds no secrets of value.
        }
    }
}
