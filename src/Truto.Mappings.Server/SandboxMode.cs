using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Egress;
using Microsoft.Extensions.Options;
using Truto.Mappings.OAuth;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Sandbox.OAuth;
using Truto.Mappings.Server.Connect;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server;

/// <summary>
/// <c>--sandbox</c>: the provider simulators run inside the server under <c>/sandbox/{provider}</c>,
/// one integrated account per provider points at them, a demo token exists, and ready-to-paste
/// curl commands are printed. Everything is created idempotently (fixed ids), so restarts reuse it.
/// </summary>
public static class SandboxMode
{
    /// <summary>The demo API token sandbox mode accepts (never valid outside sandbox mode).</summary>
    public const string DemoToken = "sandbox-demo-token";

    /// <summary>The simulators' path prefix on the server.</summary>
    public const string Prefix = "/sandbox";

    public static WebApplication Build(string[] args)
    {
        var app = ServerApp.Build(args, builder =>
        {
            // Its own database, and the demo token unless TRUTO_API_TOKEN names another.
            builder.Configuration["TRUTO_API_TOKEN"] ??= DemoToken;
            builder.Configuration["ConnectionStrings:Truto"] ??= "Data Source=truto-sandbox.db";
        });
        // The simulators stand in for providers: they are not part of the API's description.
        var simulators = app.MapGroup(Prefix).ExcludeFromDescription().MapProviderSimulators();
        app.Services.GetRequiredService<SandboxState>().Simulators = simulators;
        app.MapGet(Prefix + ConnectedPath, (HttpRequest request) => ConnectPages.Result(request.Query["integrated_account_id"].ToString(), request.Query["error"].ToString()))
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Points each provider's OAuth app and API at its simulator (<c>Providers:{name}:AuthorizeUrl</c>,
    /// <c>:TokenUrl</c>, <c>:ClientId</c>, <c>:ClientSecret</c>, <c>:BaseUrl</c>, unless configuration sets them) and
    /// allows the sandbox's own "connected" page as a redirect URI; answers that page's URI.
    /// The port is known only once the server listens, hence here and not in configuration.
    /// </summary>
    private static string ConnectSimulators(WebApplication app, Uri rootUrl, ProviderSimulatorSet simulators)
    {
        var runtime = app.Services.GetRequiredService<IOptions<TrutoMappingsOptions>>().Value;
        var clients = runtime.OAuthClients;
        var sandboxRoot = rootUrl.ToString().TrimEnd('/') + Prefix;
        foreach (var oauth in simulators.All.Select(s => s.OAuthServer).OfType<OAuthServerSimulator>())
        {
            if (!clients.TryGetValue(oauth.Name, out var client))
            {
                client = new OAuthClientOptions();
                clients[oauth.Name] = client;
            }
            client.ClientId ??= OAuthServerSimulator.ClientId;
            client.ClientSecret ??= OAuthServerSimulator.ClientSecret;
            client.AuthorizeUrl ??= sandboxRoot + oauth.AuthorizePath;
            client.TokenUrl ??= sandboxRoot + oauth.TokenPath;
            // Connected accounts name the real API host (or, in instance_url / api_domain, the
            // simulator's bare origin, which a context key cannot extend by a path): their calls go to the simulator.
            runtime.ProviderBaseUrls.TryAdd(oauth.Name, sandboxRoot + "/" + oauth.Name);
        }
        var connected = sandboxRoot + ConnectedPath;
        var allowed = app.Services.GetRequiredService<IOptions<ConnectOptions>>().Value.AllowedRedirectUris;
        if (!allowed.Contains(connected))
        {
            allowed.Add(connected);
        }
        return connected;
    }

    /// <summary>The sandbox's page where connect flows end (it shows the account id or the error).</summary>
    public const string ConnectedPath = "/connected";

    /// <summary>The fixed account id of a provider's sandbox account (stable across restarts).</summary>
    public static string AccountId(string provider)
    {
        var bytes = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("truto-sandbox:" + provider));
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes.AsSpan(0, 16), bigEndian: true).ToString();
    }

    /// <summary>Seeds contacts, creates the accounts that are missing, and prints how to call the API.</summary>
    public static async Task PrepareAsync(WebApplication app, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(output);
        var root = (app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => a.Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal))
            .OrderBy(a => a.StartsWith("https", StringComparison.Ordinal) ? 1 : 0)
            .First().TrimEnd('/'));
        var rootUrl = new Uri(root);
        var store = app.Services.GetRequiredService<ITrutoStore>();
        var catalog = app.Services.GetRequiredService<ProviderCatalog>();
        var time = app.Services.GetRequiredService<TimeProvider>();
        var validator = app.Services.GetRequiredService<AccountContextValidator>();
        var simulators = app.Services.GetRequiredService<SandboxState>().Simulators!;
        var sandboxRoot = new Uri(rootUrl, Prefix);
        // The simulators are this server, usually on loopback: the accounts below may point at it
        // only once its origin is allowed (as Egress:AllowedBaseUrls would; the port is known only now).
        app.Services.GetRequiredService<EgressPolicy>().Allow(rootUrl.GetLeftPart(UriPartial.Authority));
        var token = app.Configuration["TRUTO_API_TOKEN"] ?? DemoToken;
        var connected = ConnectSimulators(app, rootUrl, simulators);
        var links = new SandboxConnectLinks(app.Services.GetRequiredService<ConnectLinks>(), time, app.Services.GetRequiredService<IOptions<ConnectOptions>>().Value, root);

        output.WriteLine($"Truto.Mappings sandbox at {root}  (API token: {token})");
        output.WriteLine();
        foreach (var adapter in catalog.All)
        {
            if (simulators.Find(adapter.Info.Name) is not { } simulator)
            {
                // A provider added by YAML alone has no simulator yet: it works against real accounts only.
                output.WriteLine($"# {adapter.Info.DisplayName}: no simulator in the sandbox; add an account for a real {adapter.Info.DisplayName} account instead.");
                output.WriteLine();
                continue;
            }
            var ids = simulator.Contacts.Seed(5);
            var id = AccountId(adapter.Info.Name);
            var context = simulator.AccountContext(sandboxRoot);
            if (await store.FindAccountAsync(id, cancellationToken) is { } existing)
            {
                // The port may differ from the last run: point the stored account at this one.
                await store.DeleteAccountAsync(existing.Id, cancellationToken);
            }
            var (_, refused) = await AccountEndpoints.CreateAccountAsync(store, catalog, validator, time, adapter.Info.Name, "sandbox", context, cancellationToken, id);
            if (refused is not null)
            {
                // A simulator whose context its provider's declaration refuses is a bug in the simulator.
                throw new InvalidOperationException($"The sandbox account for {adapter.Info.DisplayName} was refused: {refused.Message}");
            }
            output.WriteLine($"# {adapter.Info.DisplayName}: account {id}, contacts {string.Join(", ", ids)}");
            output.WriteLine($"curl -X DELETE '{root}/unified/crm/contacts/{ids[0]}?integrated_account_id={id}' \\");
            output.WriteLine($"  -H 'Authorization: Bearer {token}'");
            output.WriteLine($"curl -X POST '{root}/unified/crm/contacts/batch-delete?integrated_account_id={id}' \\");
            output.WriteLine($"  -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\");
            output.WriteLine($"  -d '{{\"id\": [\"{ids[1]}\", \"{ids[2]}\"], \"remote_data\": {{}}}}'");
            output.WriteLine($"# connect another {adapter.Info.DisplayName} account in a browser (link valid {links.Lifetime.TotalMinutes:0} min; POST /connect-link makes new ones):");
            output.WriteLine(links.Url(adapter.Info.Name, connected, simulator.OAuthServer?.Dialect.ConnectContext));
            output.WriteLine();
        }
        output.Flush();
    }
}

/// <summary>Holds the simulators mapped into the server in sandbox mode.</summary>
public sealed class SandboxState
{
    public ProviderSimulatorSet? Simulators { get; set; }
}
