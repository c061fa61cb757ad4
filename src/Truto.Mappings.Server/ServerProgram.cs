using System.CommandLine;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server;

/// <summary>
/// One executable: the server (default), the admin commands <c>tokens create</c> and
/// <c>accounts add</c>, and <c>--sandbox</c> mode.
/// </summary>
public static class ServerProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] is "tokens" or "accounts")
        {
            return await RunAdminAsync(args);
        }
        var sandbox = args.Contains("--sandbox");
        var hostArgs = args.Where(a => a != "--sandbox").ToArray();
        var app = sandbox ? SandboxMode.Build(hostArgs) : ServerApp.Build(hostArgs);
        await app.MigrateAsync();
        if (sandbox)
        {
            await app.StartAsync();
            await SandboxMode.PrepareAsync(app, Console.Out);
            await app.WaitForShutdownAsync();
            return 0;
        }
        await app.RunAsync();
        return 0;
    }

    private static async Task<int> RunAdminAsync(string[] args)
    {
        // The admin commands share the server's configuration (database, keys folder) but start no web server.
        // stdout carries only the result (a token, an id) so scripts can capture it; logs go to stderr.
        await using var app = ServerApp.Build([], builder => builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        await app.MigrateAsync();

        var name = new Option<string>("--name") { Description = "A name to recognise the token by", Required = true };
        var create = new Command("create", "Create an API token; it is printed once and only its hash is stored") { name };
        create.SetAction(async (result, cancellationToken) =>
        {
            var (id, token) = await app.Services.GetRequiredService<ApiTokens>().CreateAsync(result.GetValue(name)!, cancellationToken);
            Console.Error.WriteLine($"Token {id} created. Store it now: it cannot be shown again.");
            Console.WriteLine(token);
            return 0;
        });

        var tokenId = new Option<string>("--id") { Description = "The id printed when the token was created", Required = true };
        var revoke = new Command("revoke", "Revoke an API token; calls with it get 401 from then on") { tokenId };
        revoke.SetAction(async (result, cancellationToken) =>
        {
            var id = result.GetValue(tokenId)!;
            if (!await app.Services.GetRequiredService<ITrutoStore>().RevokeTokenAsync(id, app.Services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken))
            {
                Console.Error.WriteLine($"No active token with id '{id}'.");
                return 2;
            }
            Console.Error.WriteLine($"Token {id} revoked.");
            return 0;
        });

        var integration = new Option<string>("--integration") { Description = "The provider, e.g. hubspot", Required = true };
        var context = new Option<string>("--context") { Description = "The account context as JSON", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant id" };
        var add = new Command("add", "Add an integrated account; prints its id") { integration, context, tenant };
        add.SetAction(async (result, cancellationToken) =>
        {
            JsonNode? json;
            try
            {
                json = JsonNode.Parse(result.GetValue(context)!);
            }
            catch (System.Text.Json.JsonException e)
            {
                Console.Error.WriteLine($"--context is not valid JSON: {e.Message}");
                return 2;
            }
            var (account, error) = await AccountEndpoints.CreateAccountAsync(
                app.Services.GetRequiredService<ITrutoStore>(), app.Services.GetRequiredService<ProviderCatalog>(),
                app.Services.GetRequiredService<AccountContextValidator>(), app.Services.GetRequiredService<TimeProvider>(),
                result.GetValue(integration), result.GetValue(tenant), json, cancellationToken);
            if (account is null)
            {
                Console.Error.WriteLine(error!.Message);
                return 2;
            }
            Console.WriteLine(account.Id);
            return 0;
        });

        var root = new RootCommand("Truto.Mappings server administration")
        {
            new Command("tokens", "API tokens") { create, revoke },
            new Command("accounts", "Integrated accounts") { add },
        };
        return await root.Parse(args).InvokeAsync();
    }
}
