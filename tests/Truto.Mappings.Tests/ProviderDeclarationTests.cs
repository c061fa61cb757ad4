using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Providers;
using Truto.Mappings.Sandbox;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Tests;

/// <summary>
/// What every shipped provider declares about trust, checked against what the project itself
/// sends: hosts are declared and cover the sandbox accounts' real hosts, every key a template
/// reads is declared, the recorded fixtures' and the simulators' accounts hold only declared keys
/// of the declared shape, and each id pattern accepts the ids the simulators and fixtures use.
/// </summary>
public sealed class ProviderDeclarationTests : IAsyncLifetime
{
    private static readonly string FixturesDirectory = Path.Combine(Snapshot.SourceDirectory(), "Fixtures");

    private ProviderSandbox _sandbox = null!;

    public static TheoryData<string> Providers() => [.. GeneratedProviders.All.Select(a => a.Info.Name).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_provider_declares_its_hosts(string provider)
    {
        var hosts = Info(provider).Hosts;

        Assert.NotEmpty(hosts);
        Assert.All(hosts, h => Assert.Matches("^(\\*\\.)?[a-z0-9-]+(\\.[a-z0-9-]+)+$", h));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Every_key_the_templates_read_is_declared_required_with_a_label(string provider)
    {
        var info = Info(provider);

        Assert.All(info.ContextKeys, key =>
        {
            var declared = Assert.Single(info.Context, k => k.Name == key);
            Assert.True(declared.Required, key);
            Assert.False(string.IsNullOrWhiteSpace(declared.Label), key);
            Assert.False(string.IsNullOrWhiteSpace(declared.Help), key);
        });
        Assert.All(info.Context.Where(k => !info.ContextKeys.Contains(k.Name)), k => Assert.False(k.Required, k.Name));
    }

    [Fact]
    public void Credentials_are_declared_secret_and_nothing_else_is()
    {
        var secrets = GeneratedProviders.All.SelectMany(a => a.Info.Context.Where(k => k.Secret).Select(k => a.Info.Name + ":" + k.Name)).Order(StringComparer.Ordinal);

        Assert.Equal(
        [
            "attio:api_key", "attio:oauth.token.access_token", "attio:oauth.token.refresh_token",
            "capsule:oauth.token.access_token", "capsule:oauth.token.refresh_token", "close:api_key", "copper:api_key", "dynamics365:oauth.token.access_token", "freshsales:api_key",
            "hubspot:oauth.token.access_token", "hubspot:oauth.token.refresh_token", "monday:oauth.token.access_token", "monday:oauth.token.refresh_token",
            "nutshell:api_key", "outreach:oauth.token.access_token", "outreach:oauth.token.refresh_token", "pipedrive:api_key",
            "pipedrive:oauth.token.access_token", "pipedrive:oauth.token.refresh_token",
            "pipeliner:password", "salesforce:oauth.token.access_token", "salesforce:oauth.token.refresh_token",
            "zendesk_sell:oauth.token.access_token", "zendesk_sell:oauth.token.refresh_token", "zoho:oauth.token.access_token", "zoho:oauth.token.refresh_token",
        ], secrets);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_fixture_account_holds_declared_keys_of_the_declared_shape(string provider)
    {
        var account = JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesDirectory, provider, "account.json")))!.AsObject();

        AssertDeclared(Info(provider), account);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_simulator_account_holds_declared_keys_of_the_declared_shape_and_its_real_host_is_declared(string provider)
    {
        var info = Info(provider);
        var account = _sandbox[provider].AccountContext(_sandbox.RootUrl);
        // base_url points the account at the simulator; it is the runtime's override key, never declared.
        Assert.True(account.Remove("base_url"));

        AssertDeclared(info, account);
        var host = new Uri(GeneratedProviders.Find(provider)!.BuildBaseUrl(new AccountContext(System.Text.Json.JsonSerializer.SerializeToElement(account)))).Host;
        Assert.Contains(info.Hosts, h => h == host || (h.StartsWith("*.", StringComparison.Ordinal) && host.EndsWith(h[1..], StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void The_id_pattern_accepts_the_ids_the_simulator_and_the_fixtures_use(string provider)
    {
        var ids = _sandbox[provider].Contacts.Seed(3).Concat(FixtureIds(provider)).ToList();

        Assert.All(Info(provider).Operations, operation =>
        {
            var pattern = operation.IdPattern;
            Assert.NotNull(pattern);
            Assert.All(ids, id => Assert.Matches(pattern, id));
        });
    }

    [Fact]
    public void Batches_that_join_their_ids_say_with_what_and_the_others_do_not()
    {
        var separators = GeneratedProviders.All
            .Select(a => (a.Info.Name, a.Info.Find("contacts", "batch_delete")?.IdSeparator))
            .Where(s => s.IdSeparator is not null)
            .Select(s => s.Name + ":" + s.IdSeparator);

        Assert.Equal(["pipedrive:,", "salesforce:,", "zoho:,"], separators.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_shipped_delete_is_marked_safe_to_repeat()
        => Assert.All(GeneratedProviders.All.SelectMany(a => a.Info.Operations), o => Assert.True(o.Idempotent, o.Resource + "." + o.Method));

    private static void AssertDeclared(ProviderInfo info, JsonObject account)
    {
        foreach (var (key, value) in Leaves(account, ""))
        {
            var declared = info.Context.SingleOrDefault(k => k.Name == key);
            Assert.True(declared is not null, $"{info.Name}: '{key}' is not declared");
            Assert.True(Fits(declared.Shape, value), $"{info.Name}: '{key}' = '{value}' does not fit its shape");
        }
        Assert.All(info.Context.Where(k => k.Required), k => Assert.Contains(k.Name, Leaves(account, "").Select(l => l.Key)));
    }

    /// <summary>The value fits the shape as the runtime will check it (ContextShapeKind's documentation).</summary>
    private static bool Fits(ContextShape? shape, string value) => shape?.Kind switch
    {
        null => true,
        ContextShapeKind.DnsLabel => Regex.IsMatch(value, "^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"),
        ContextShapeKind.OneOf => shape.Values.Contains(value),
        ContextShapeKind.HttpsOrigin => Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == "https" && uri.UserInfo.Length == 0
            && uri.GetLeftPart(UriPartial.Authority) == value.TrimEnd('/'),
        ContextShapeKind.PathSegment => Regex.IsMatch(value, "^[A-Za-z0-9._~-]+$") && value is not "." and not "..",
        _ => false,
    };

    private static IEnumerable<(string Key, string Value)> Leaves(JsonObject node, string prefix)
    {
        foreach (var (name, value) in node)
        {
            if (value is JsonObject child)
            {
                foreach (var leaf in Leaves(child, prefix + name + "."))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return (prefix + name, value!.ToString());
            }
        }
    }

    private static IEnumerable<string> FixtureIds(string provider)
        => Directory.EnumerateFiles(Path.Combine(FixturesDirectory, provider), "*.json")
            .Where(f => !f.Contains(".verified.", StringComparison.Ordinal) && Path.GetFileName(f) != "account.json")
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!["call"]!)
            .SelectMany(call => call["ids"] is JsonArray ids ? ids.Select(i => (string)i!) : [(string)call["id"]!]);

    private static ProviderInfo Info(string provider) => GeneratedProviders.Find(provider)!.Info;

    public async Task InitializeAsync() => _sandbox = await ProviderSandbox.StartAsync();

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();
}
