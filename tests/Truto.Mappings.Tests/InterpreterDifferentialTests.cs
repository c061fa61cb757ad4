using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Interpreter;
using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Interpreter.Loading;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Tests;

/// <summary>
/// One parser, two engines, proven equal: every fixture of every provider runs through the compiled
/// adapters (the generator's output in this assembly) and through the interpreter over the same
/// YAML (<c>mappings/providers</c>), on the same loopback server and the same runtime, and both must
/// send the same provider requests and answer the same unified bytes.
/// </summary>
public sealed class InterpreterDifferentialTests : IAsyncLifetime
{
    private static readonly string MappingsDirectory = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "mappings"));

    private ReplayServer _server = null!;
    private ServiceProvider _compiled = null!;
    private ServiceProvider _interpreted = null!;

    public static TheoryData<string, string> Cases() => MappingSnapshotTests.Cases();

    [Fact]
    public void Every_provider_file_loads_without_diagnostics_and_as_many_adapters_as_compiled()
    {
        var load = Load();

        Assert.Empty(load.Diagnostics);
        Assert.Equal(
            Providers.GeneratedProviders.Operations.Providers.Select(p => p.Info.Name),
            load.Adapters.Select(a => a.Info.Name).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Interpreted_and_compiled_adapters_send_the_same_requests_and_answer_the_same_bytes(string provider, string name)
    {
        Assert.IsType<InterpretedAdapter>(_interpreted.GetRequiredService<UnifiedContactsClient>().Providers.Find(provider));
        var directory = Path.Combine(Snapshot.SourceDirectory(), "Fixtures", provider);
        await using var compiled = await FixtureRunner.CallAsync(_server, _compiled.GetRequiredService<UnifiedContactsClient>(), directory, provider, name);
        await using var interpreted = await FixtureRunner.CallAsync(_server, _interpreted.GetRequiredService<UnifiedContactsClient>(), directory, provider, name);

        Assert.Equal(Requests(compiled.Requests), Requests(interpreted.Requests));
        Assert.Equal(compiled.Result.StatusCode, interpreted.Result.StatusCode);
        Assert.Equal(compiled.Result.ContentType, interpreted.Result.ContentType);
        Assert.Equal(compiled.Result.Headers, interpreted.Result.Headers);
        Assert.Equal(compiled.Result.Body.ToArray(), interpreted.Result.Body.ToArray());
    }

    /// <summary>
    /// The info the runtime decides by (ids per call, concurrency, id pattern, separator, idempotence,
    /// covered fields) is the compiled adapter's, operation by operation.
    /// </summary>
    [Fact]
    public void Interpreted_operations_describe_themselves_as_the_compiled_ones()
    {
        var compiled = Providers.GeneratedProviders.Operations;
        var interpreted = InterpretedProviders.Table(ContactsSchema.Resource, Load().Adapters);

        foreach (var row in compiled.Operations)
        {
            foreach (var operation in row.Providers)
            {
                var other = interpreted.Find(row.Resource.Resource, row.Name)!.For(operation.Provider.Info.Name)!;
                var (a, b) = (operation.Info, other.Info);
                Assert.Equal(a with { IdPattern = null, ResponseFields = [], RequestFields = [] }, b with { IdPattern = null, ResponseFields = [], RequestFields = [] });
                Assert.Equal(a.ResponseFields, b.ResponseFields);
                Assert.Equal(a.RequestFields, b.RequestFields);
                Assert.Equal(a.IdPattern?.ToString(), b.IdPattern?.ToString());
                Assert.Equal(operation.GetType().BaseType, other.GetType().BaseType);
            }
        }
    }

    /// <summary>
    /// What is provider-wide, for each provider's fixture account: its description (context keys,
    /// rate, hosts, OAuth), base URL, auth and common headers, OAuth URLs, and the rate-limit headers
    /// read from an answer that carries every header the provider names.
    /// </summary>
    [Fact]
    public void Interpreted_adapters_describe_address_and_authenticate_as_the_compiled_ones()
    {
        var interpreted = Load().Adapters;
        foreach (var compiled in Providers.GeneratedProviders.Operations.Providers)
        {
            var other = interpreted.Single(a => a.Info.Name == compiled.Info.Name);
            var context = AccountContext.Parse(File.ReadAllText(Path.Combine(Snapshot.SourceDirectory(), "Fixtures", compiled.Info.Name, "account.json")));
            Assert.Equal(Describe(compiled), Describe(other));
            Assert.Equal(Attempt(() => compiled.BuildBaseUrl(context)), Attempt(() => other.BuildBaseUrl(context)));
            Assert.Equal(Attempt(() => compiled.BuildOAuthAuthorizeUrl(context)), Attempt(() => other.BuildOAuthAuthorizeUrl(context)));
            Assert.Equal(Attempt(() => compiled.BuildOAuthTokenUrl(context)), Attempt(() => other.BuildOAuthTokenUrl(context)));
            Assert.Equal(Attempt(() => compiled.BuildOAuthScope(context)), Attempt(() => other.BuildOAuthScope(context)));
            Assert.Equal(Headers(compiled, context), Headers(other, context));
            var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(compiled.ReadRateLimit(RateLimitHeader, now), other.ReadRateLimit(RateLimitHeader, now));
            Assert.Equal(compiled.ReadRateLimit(_ => null, now), other.ReadRateLimit(_ => null, now));
        }
    }

    internal static string Describe(Adapters.ProviderAdapter adapter)
        => JsonSerializer.Serialize(new
        {
            adapter.Info.Name,
            adapter.Info.DisplayName,
            adapter.Info.DocsUrl,
            adapter.Info.ContextKeys,
            adapter.Info.Rates,
            adapter.Info.Context,
            adapter.Info.RequiredContextChoices,
            adapter.Info.Hosts,
            adapter.Info.OAuth2,
            Operations = adapter.Info.Operations.Select(o => new { o.Method, o.NumericIds }),
        });

    private static string Attempt(Func<string?> build)
    {
        try
        {
            return build() ?? "(none)";
        }
        catch (Exception e) when (e is ContextKeyException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }

    private static string Headers(Adapters.ProviderAdapter adapter, AccountContext context)
    {
        var request = new Adapters.ProviderRequest();
        adapter.Authenticate(request, context);
        adapter.AddHeaders(request, context);
        return string.Join("\n", request.SecretHeaders.Select(h => "secret " + h.Key + ": " + h.Value).Concat(request.Headers.Select(h => h.Key + ": " + h.Value)));
    }

    // A number for the numeric headers, and forms the pattern headers commonly take.
    private static string? RateLimitHeader(string name) => name.ToUpperInvariant() switch
    {
        var n when n.Contains("LIMIT-INFO", StringComparison.Ordinal) => "api-usage=21/5000",
        var n when n.Contains("RESET", StringComparison.Ordinal) => "1767225660",
        _ => "40",
    };

    private static MappingLoad Load()
        => MappingFiles.Load(
            Path.Combine(MappingsDirectory, "unified", "crm", "contacts.yaml"),
            Directory.EnumerateFiles(Path.Combine(MappingsDirectory, "providers"), "*.yaml"));

    /// <summary>Every request, everything the provider sees of it (raw target, every header, body); fan-out order is not behaviour.</summary>
    internal static List<string> Requests(IReadOnlyList<ReceivedRequest> requests)
        => [.. requests
            .Select(r => $"{r.Method} {r.RawTarget}\n{string.Join("\n", r.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + ": " + h.Value))}\n\n{r.Body}")
            .Order(StringComparer.Ordinal)];

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        _compiled = FixtureRunner.Services(_server, (services, configure) => services.AddTrutoMappings(configure));
        var table = InterpretedProviders.Table(ContactsSchema.Resource, Load().Adapters);
        _interpreted = FixtureRunner.Services(_server, (services, configure) => services.AddTrutoMappingsRuntime(table, configure));
    }

    public async Task DisposeAsync()
    {
        await _compiled.DisposeAsync();
        await _interpreted.DisposeAsync();
        await _server.DisposeAsync();
    }
}
