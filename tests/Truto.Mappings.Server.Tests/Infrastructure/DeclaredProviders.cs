using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Providers;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// The context and host declarations of five providers, as their YAML files declare them, served by
/// the account and meta endpoints in place of the generated ones. The account endpoints' behaviour
/// (validation at creation, redaction by the secret flag, the keys meta lists) is tested against
/// these fixed declarations, so the tests say exactly which declaration they rely on whatever the
/// YAML files say at the time; calls still run through the generated operations.
/// </summary>
internal static class DeclaredProviders
{
    private static readonly ContextShape DnsLabel = new(ContextShapeKind.DnsLabel, []);
    private static readonly ContextShape HttpsOrigin = new(ContextShapeKind.HttpsOrigin, []);
    private static readonly ContextKey AccessToken = Key("oauth.token.access_token", "Access token", secret: true);

    private static readonly Dictionary<string, (ContextKey[] Context, string[] Hosts)> Declarations = new(StringComparer.Ordinal)
    {
        ["copper"] = ([Key("api_key", "API key", secret: true), Key("user_email", "User email")], ["api.copper.com"]),
        ["hubspot"] = ([AccessToken], ["api.hubapi.com"]),
        ["pipedrive"] = ([Key("company_domain", "Company domain", shape: DnsLabel), Key("api_key", "API token", secret: true)], ["*.pipedrive.com"]),
        ["pipeliner"] = (
            [
                Key("region", "Region", shape: new ContextShape(ContextShapeKind.OneOf, ["us-east", "eu-central", "ca-central", "ap-southeast"])),
                Key("space_id", "Space ID"),
                Key("username", "API user name"),
                Key("password", "API password", secret: true),
            ],
            ["*.api.pipelinersales.com"]),
        ["salesforce"] = ([Key("instance_url", "Instance URL", shape: HttpsOrigin), AccessToken], ["*.my.salesforce.com", "*.salesforce.com"]),
    };

    /// <summary>Serves the declared stand-ins from the server's <see cref="ProviderCatalog"/> (registered after the server's own).</summary>
    public static void Use(WebApplicationBuilder builder)
        => builder.Services.AddSingleton(new ProviderCatalog(GeneratedProviders.Operations.Providers.Select(Declare)));

    private static ProviderAdapter Declare(ProviderAdapter generated)
        => Declarations.TryGetValue(generated.Info.Name, out var declared)
            ? new DeclaredAdapter(generated, generated.Info with { Context = declared.Context, Hosts = declared.Hosts })
            : generated;

    private static ContextKey Key(string name, string label, bool secret = false, ContextShape? shape = null)
        => new(name, ContextValueType.Text, secret, label, "Where to find the " + label + ".", Required: true, shape);
}
