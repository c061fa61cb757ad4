using System.CommandLine;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Server.Endpoints;
using Truto.Mappings.Server.Security;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server;

/// <summary>
/// One executable: the server (default), the admin commands <c>tokens create|list|revoke</c> and
/// <c>accounts add</c>, and <c>--sandbox</c> mode.
/// </summary>
public static partial class ServerProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        try
        {
            return await RunModeAsync(args);
        }
        catch (StartupException e)
        {
            // Said plainly, without a stack trace: the message names the setting to fix.
            Console.Error.WriteLine($"Truto.Mappings cannot start: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> RunModeAsync(string[] args)
    {
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
        var scope = new Option<string[]>("--scope")
        {
            Description = $"What the token may do, repeated or comma-separated: {string.Join(", ", ApiScopeNames.All)} (default: all of them)",
        };
        var tokenTenant = new Option<string?>("--tenant") { Description = "Limit the token to this tenant's accounts (default: every tenant)" };
        var tokenEnvironment = new Option<string>("--environment")
        {
            Description = "The environment whose accounts the token sees",
            DefaultValueFactory = _ => StoredAccount.DefaultEnvironment,
        };
        var create = new Command("create", "Create an API token; it is printed once and only its hash is stored") { name, scope, tokenTenant, tokenEnvironment };
        create.SetAction(async (result, cancellationToken) =>
        {
            var requested = result.GetValue(scope) ?? [];
            var (scopes, unknown) = ApiScopeNames.Parse(requested);
            if (unknown is not null)
            {
                Console.Error.WriteLine($"Unknown scope '{unknown}'; the scopes are {string.Join(", ", ApiScopeNames.All)}.");
                return 2;
            }
            if (CheckNames(result.GetValue(tokenEnvironment), result.GetValue(tokenTenant)) is { } invalid)
            {
                Console.Error.WriteLine(invalid);
                return 2;
            }
            var grant = new ApiCaller(null, result.GetValue(tokenEnvironment)!, requested.Length == 0 ? ApiScopes.All : scopes, result.GetValue(tokenTenant));
            var (id, token) = await app.Services.GetRequiredService<ApiTokens>().CreateAsync(result.GetValue(name)!, grant, cancellationToken);
            Console.Error.WriteLine($"Token {id} created ({Describe(grant.Environment, grant.Scopes, grant.TenantId)}). Store it now: it cannot be shown again.");
            Console.WriteLine(token);
            return 0;
        });

        var list = new Command("list", "List API tokens: id, name, environment, scopes, tenant, created, revoked (never the token)");
        list.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine("id\tname\tenvironment\tscopes\ttenant\tcreated_at\trevoked_at");
            foreach (var stored in await app.Services.GetRequiredService<ITrutoStore>().ListTokensAsync(cancellationToken))
            {
                Console.WriteLine(string.Join('\t', stored.Id, stored.Name, stored.Environment, ApiScopeNames.Format(stored.Scopes).Replace(' ', ','),
                    stored.TenantId ?? "*", Time(stored.CreatedAt), stored.RevokedAt is { } revoked ? Time(revoked) : "-"));
            }
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

        var integration = new Option<string>("--integration") { Description = "The provider's integration name (the name: in its mappings/providers YAML file)", Required = true };
        var context = new Option<string>("--context") { Description = "The account context as JSON", Required = true };
        var tenant = new Option<string?>("--tenant") { Description = "The tenant id" };
        var accountEnvironment = new Option<string>("--environment")
        {
            Description = "The environment the account belongs to (only its tokens see it)",
            DefaultValueFactory = _ => StoredAccount.DefaultEnvironment,
        };
        var add = new Command("add", "Add an integrated account; prints its id") { integration, context, tenant, accountEnvironment };
        add.SetAction(async (result, cancellationToken) =>
        {
            if (CheckNames(result.GetValue(accountEnvironment), result.GetValue(tenant)) is { } invalid)
            {
                Console.Error.WriteLine(invalid);
                return 2;
            }
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
                result.GetValue(integration), result.GetValue(tenant), json, cancellationToken, environment: result.GetValue(accountEnvironment)!);
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
            new Command("tokens", "API tokens") { create, list, revoke },
            new Command("accounts", "Integrated accounts") { add },
        };
        return await root.Parse(args).InvokeAsync();
    }

    /// <summary>Why an environment or tenant name cannot be used, or null when both can.</summary>
    private static string? CheckNames(string? environment, string? tenant)
    {
        if (environment is null || !EnvironmentName().IsMatch(environment))
        {
            return $"--environment must be 1 to 64 letters, digits, '.', '_' or '-'; got '{environment}'.";
        }
        return tenant is not null && (tenant.Length == 0 || tenant.Any(char.IsControl))
            ? "--tenant must be a non-empty name without control characters."
            : null;
    }

    private static string Describe(string environment, ApiScopes scopes, string? tenant)
        => $"environment {environment}, scopes {ApiScopeNames.Format(scopes).Replace(' ', ',')}, {(tenant is null ? "every tenant" : "tenant " + tenant)}";

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex EnvironmentName();
}
