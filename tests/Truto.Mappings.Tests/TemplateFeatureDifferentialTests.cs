using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Interpreter;
using Truto.Mappings.Interpreter.Loading;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Tests;

/// <summary>
/// The template features no shipped provider uses yet ('??' fallbacks and defaults, '| number' on
/// ids, id lists, <c>$each_id</c> and context values, an answer that is no object, multipart part
/// headers and encoded ids), proven equal in
/// both engines: <c>TemplateFeatures/providers/typedcrm.yaml</c> is compiled into this assembly by the
/// generator (<see cref="TemplateFeatures.GeneratedProviders"/>) and interpreted from the same file, and both run the
/// same calls on the same loopback server and runtime.
/// </summary>
public sealed class TemplateFeatureDifferentialTests : IAsyncLifetime
{
    private const string Provider = "typedcrm";
    private static readonly string Directory = Path.Combine(Snapshot.SourceDirectory(), "TemplateFeatures", Provider);
    private static readonly string MappingsDirectory = Path.GetFullPath(Path.Combine(Snapshot.SourceDirectory(), "..", "..", "mappings"));

    private ReplayServer _server = null!;
    private ServiceProvider _compiled = null!;
    private ServiceProvider _interpreted = null!;

    /// <summary>
    /// Each fixture and what its compiled requests must show, so the cases test the features and
    /// not only the engines' agreement: the second key of a chain, the default, numbers in bodies.
    /// </summary>
    public static TheoryData<string, string[]> Cases() => new()
    {
        // account.json holds legacy_key (the chain's second key) and no region (the default, eu); `true` leaves remote_data out.
        { "delete.true-answer", ["x-api-key: typedcrm-legacy-key", "x-region: eu", """{"id":102,"workspace":42}"""] },
        { "batch-delete.numbers", ["""{"ids":[102,103],"items":[{"id":102},{"id":103}]}"""] },
        // 007 is no JSON number: refused for that id (in errors), 102 still sent.
        { "batch-delete.non-numeric-id", ["""{"ids":[102],"items":[{"id":102}]}"""] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Interpreted_and_compiled_adapters_send_the_same_requests_and_answer_the_same_bytes(string name, string[] sent)
    {
        await using var compiled = await FixtureRunner.CallAsync(_server, Client(_compiled), Directory, Provider, name);
        await using var interpreted = await FixtureRunner.CallAsync(_server, Client(_interpreted), Directory, Provider, name);

        var requests = InterpreterDifferentialTests.Requests(compiled.Requests);
        Assert.All(sent, s => Assert.Contains(requests, r => r.Contains(s, StringComparison.Ordinal)));
        Assert.Equal(requests, InterpreterDifferentialTests.Requests(interpreted.Requests));
        Assert.Equal(compiled.Result.StatusCode, interpreted.Result.StatusCode);
        Assert.Equal(compiled.Result.Headers, interpreted.Result.Headers);
        Assert.Equal(Encoding.UTF8.GetString(compiled.Result.Body.Span), Encoding.UTF8.GetString(interpreted.Result.Body.Span));
    }

    /// <summary>A fan-out's per-id delete writes the id as a number: "1,000" is refused for that id, 102 sent with the default owner 1.</summary>
    [Fact]
    public async Task A_fan_out_refuses_a_non_numeric_id_for_that_id_in_both()
    {
        var directory = Path.Combine(Snapshot.SourceDirectory(), "TemplateFeatures", "typedfan");
        await using var compiled = await FixtureRunner.CallAsync(_server, Client(_compiled), directory, "typedfan", "batch-delete.non-numeric-id");
        await using var interpreted = await FixtureRunner.CallAsync(_server, Client(_interpreted), directory, "typedfan", "batch-delete.non-numeric-id");

        var requests = InterpreterDifferentialTests.Requests(compiled.Requests);
        Assert.Contains("""{"id":102,"owner":1}""", Assert.Single(requests), StringComparison.Ordinal);
        Assert.Equal(requests, InterpreterDifferentialTests.Requests(interpreted.Requests));
        var body = Encoding.UTF8.GetString(compiled.Result.Body.Span);
        Assert.Contains("is not a number", body, StringComparison.Ordinal);
        Assert.Equal(compiled.Result.StatusCode, interpreted.Result.StatusCode);
        Assert.Equal(body, Encoding.UTF8.GetString(interpreted.Result.Body.Span));
    }

    /// <summary>
    /// A multipart/mixed batch: one part per id with its path encoded and its headers from the id and
    /// the context; the answer's parts, out of order, paired by Content-ID; a failing part's code
    /// through status_by_code; an id without a part a 502. The same bytes in both engines.
    /// </summary>
    [Fact]
    public async Task A_multipart_batch_sends_and_reads_the_same_parts_in_both()
    {
        var directory = Path.Combine(Snapshot.SourceDirectory(), "TemplateFeatures", "partscrm");
        await using var compiled = await FixtureRunner.CallAsync(_server, Client(_compiled), directory, "partscrm", "batch-delete.parts");
        await using var interpreted = await FixtureRunner.CallAsync(_server, Client(_interpreted), directory, "partscrm", "batch-delete.parts");

        var request = Assert.Single(InterpreterDifferentialTests.Requests(compiled.Requests));
        Assert.Contains("DELETE /contacts('ann%20lee') HTTP/1.1\r\nX-Caller: u-7\r\nX-Row: ann lee\r\n", request, StringComparison.Ordinal);
        Assert.Contains("Content-ID: 2\r\n\r\nDELETE /contacts('a%2Fb') HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Equal([request], InterpreterDifferentialTests.Requests(interpreted.Requests));
        using var body = System.Text.Json.JsonDocument.Parse(compiled.Result.Body);
        Assert.Equal(["ann lee"], body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal([("a/b", 409), ("bob", 502), ("cy", 404)],
            body.RootElement.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("id").GetString(), e.GetProperty("statusCode").GetInt32())));
        Assert.Equal(Encoding.UTF8.GetString(compiled.Result.Body.Span), Encoding.UTF8.GetString(interpreted.Result.Body.Span));
    }

    [Fact]
    public async Task An_answer_that_is_no_object_leaves_remote_data_out_in_both()
    {
        await using var compiled = await FixtureRunner.CallAsync(_server, Client(_compiled), Directory, Provider, "delete.true-answer");
        await using var interpreted = await FixtureRunner.CallAsync(_server, Client(_interpreted), Directory, Provider, "delete.true-answer");

        Assert.Equal(200, compiled.Result.StatusCode);
        Assert.DoesNotContain("remote_data", Encoding.UTF8.GetString(compiled.Result.Body.Span), StringComparison.Ordinal);
        Assert.Equal(compiled.Result.Body.ToArray(), interpreted.Result.Body.ToArray());
    }

    [Fact]
    public async Task A_non_numeric_id_is_refused_for_that_id_in_both()
    {
        await using var compiled = await FixtureRunner.CallAsync(_server, Client(_compiled), Directory, Provider, "batch-delete.non-numeric-id");
        await using var interpreted = await FixtureRunner.CallAsync(_server, Client(_interpreted), Directory, Provider, "batch-delete.non-numeric-id");

        var body = Encoding.UTF8.GetString(compiled.Result.Body.Span);
        Assert.Contains("007", body, StringComparison.Ordinal);
        Assert.Contains("is not a number", body, StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetString(interpreted.Result.Body.Span));
    }

    /// <summary>An account holding none of a chain's keys is the caller's 400 naming them all, before any call; a context value that is no number, a 400 naming the key.</summary>
    [Theory]
    [InlineData("""{"workspace_id": "42"}""", "api_key", "legacy_key")]
    [InlineData("""{"api_key": "k", "workspace_id": "forty-two"}""", "workspace_id", "workspace_id")]
    public async Task A_context_the_templates_cannot_use_is_the_same_400_in_both(string context, string first, string second)
    {
        var account = new IntegratedAccount("62f44730-dd91-461e-bd6a-aedd9e0ad79d", Provider, AccountContext.Parse(context));
        await using var compiled = await Client(_compiled).DeleteAsync(account, "102", UnifiedRequestOptions.Default);
        await using var interpreted = await Client(_interpreted).DeleteAsync(account, "102", UnifiedRequestOptions.Default);

        var body = Encoding.UTF8.GetString(compiled.Body.Span);
        Assert.Equal(400, compiled.StatusCode);
        Assert.Contains(first, body, StringComparison.Ordinal);
        Assert.Contains(second, body, StringComparison.Ordinal);
        Assert.Equal(body, Encoding.UTF8.GetString(interpreted.Body.Span));
        Assert.Empty(_server.Received);
    }

    [Fact]
    public void The_interpreted_provider_describes_itself_as_the_compiled_one()
    {
        var compiled = TemplateFeatures.GeneratedProviders.Operations.Providers.Single(p => p.Info.Name == Provider);
        var interpreted = Load().Adapters.Single(a => a.Info.Name == Provider);

        Assert.Equal([["api_key", "legacy_key"]], compiled.Info.RequiredContextChoices);
        Assert.Equal(compiled.Info.RequiredContextChoices, interpreted.Info.RequiredContextChoices);
        Assert.All(compiled.Info.Operations, o => Assert.True(o.NumericIds));
        Assert.Equal(compiled.Info.Operations.Select(o => (o.Method, o.NumericIds)), interpreted.Info.Operations.Select(o => (o.Method, o.NumericIds)));
        Assert.Equal(InterpreterDifferentialTests.Describe(compiled), InterpreterDifferentialTests.Describe(interpreted));
    }

    /// <summary>Every operation of every test provider, as the shipped providers' are compared: the records whole (NumericIds included).</summary>
    [Fact]
    public void Interpreted_operations_describe_themselves_as_the_compiled_ones()
    {
        var interpreted = InterpretedProviders.Table(ContactsSchema.Resource, Load().Adapters);
        foreach (var row in TemplateFeatures.GeneratedProviders.Operations.Operations)
        {
            foreach (var operation in row.Providers)
            {
                var other = interpreted.Find(row.Resource.Resource, row.Name)!.For(operation.Provider.Info.Name)!;
                Assert.Equal(operation.Info with { IdPattern = null, ResponseFields = [], RequestFields = [] }, other.Info with { IdPattern = null, ResponseFields = [], RequestFields = [] });
                Assert.Equal(operation.Info.IdPattern?.ToString(), other.Info.IdPattern?.ToString());
            }
        }
    }

    private static UnifiedContactsClient Client(ServiceProvider services) => services.GetRequiredService<UnifiedContactsClient>();

    private static MappingLoad Load()
        => MappingFiles.Load(Path.Combine(MappingsDirectory, "unified", "crm", "contacts.yaml"), System.IO.Directory.EnumerateFiles(Path.Combine(Snapshot.SourceDirectory(), "TemplateFeatures", "providers"), "*.yaml"));

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        _compiled = FixtureRunner.Services(_server, (services, configure) => services.AddTrutoMappings([TemplateFeatures.GeneratedProviders.Operations], configure));
        var load = Load();
        Assert.Empty(load.Diagnostics);
        _interpreted = FixtureRunner.Services(_server, (services, configure) => services.AddTrutoMappingsRuntime(InterpretedProviders.Table(ContactsSchema.Resource, load.Adapters), configure));
    }

    public async Task DisposeAsync()
    {
        await _compiled.DisposeAsync();
        await _interpreted.DisposeAsync();
        await _server.DisposeAsync();
    }
}
