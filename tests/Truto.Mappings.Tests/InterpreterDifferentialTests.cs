using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Interpreter;
using Truto.Mappings.Interpreter.Adapters;
using Truto.Mappings.Interpreter.Loading;
using Truto.Mappings.Testing;
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
        await using var compiled = await MappingSnapshotTests.RunAsync(_server, _compiled.GetRequiredService<UnifiedContactsClient>(), provider, name);
        await using var interpreted = await MappingSnapshotTests.RunAsync(_server, _interpreted.GetRequiredService<UnifiedContactsClient>(), provider, name);

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

    private static MappingLoad Load()
        => MappingFiles.Load(
            Path.Combine(MappingsDirectory, "unified", "crm", "contacts.yaml"),
            Directory.EnumerateFiles(Path.Combine(MappingsDirectory, "providers"), "*.yaml"));

    /// <summary>Every request, everything the provider sees of it (raw target, every header, body); fan-out order is not behaviour.</summary>
    private static List<string> Requests(IReadOnlyList<ReceivedRequest> requests)
        => [.. requests
            .Select(r => $"{r.Method} {r.RawTarget}\n{string.Join("\n", r.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + ": " + h.Value))}\n\n{r.Body}")
            .Order(StringComparer.Ordinal)];

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        _compiled = MappingSnapshotTests.Services(_server, (services, configure) => services.AddTrutoMappings(configure));
        var table = InterpretedProviders.Table(ContactsSchema.Resource, Load().Adapters);
        _interpreted = MappingSnapshotTests.Services(_server, (services, configure) => services.AddTrutoMappingsRuntime(table, configure));
    }

    public async Task DisposeAsync()
    {
        await _compiled.DisposeAsync();
        await _interpreted.DisposeAsync();
        await _server.DisposeAsync();
    }
}
