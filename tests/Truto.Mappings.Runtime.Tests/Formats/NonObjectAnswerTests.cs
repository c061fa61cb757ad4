using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Formats;

/// <summary>
/// A provider whose success answer is JSON but not an object (Freshsales answers a delete with
/// <c>true</c>), over real HTTP on loopback: the mapping finds nothing in it (its fields are null),
/// <c>remote_data</c>
/// (a record) is left out as for a 204, the answer is valid unified JSON, and the raw format still
/// passes the provider's answer through.
/// </summary>
public sealed class NonObjectAnswerTests : IAsyncLifetime
{
    private ReplayServer _server = null!;

    public static TheoryData<string> Answers => ["true", "\"ok\"", "[1]", "null", "42"];

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_delete_answered_with_a_non_object_maps_the_id_reads_nothing_from_it_and_leaves_remote_data_out(string answer)
    {
        _server.Load([Json(answer)]);
        var client = LoopbackRuntime.Client(_server, [new MappingDelete(new LoopbackProvider("scalar"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("scalar"), "102");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"id":"102","first_name":null}""", Text(result));
    }

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task A_batch_answered_with_a_non_object_lists_every_id_without_remote_data(string answer)
    {
        _server.Load([Json(answer)]);
        var client = LoopbackRuntime.Client(_server, [new LoopbackBatch(new LoopbackProvider("scalar"), idsPerCall: 10, concurrency: 1)]);

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("scalar"), ["102", "103"]);

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"result":[{"id":"102"},{"id":"103"}]}""", Text(result));
    }

    [Fact]
    public async Task An_object_answer_is_still_remote_data()
    {
        _server.Load([Json("""{"name": "Ann"}""")]);
        var client = LoopbackRuntime.Client(_server, [new MappingDelete(new LoopbackProvider("scalar"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("scalar"), "102");

        Assert.Equal("""{"id":"102","first_name":"Ann","remote_data":{"name":"Ann"}}""", Text(result));
    }

    [Fact]
    public async Task The_raw_format_passes_a_non_object_answer_through()
    {
        _server.Load([Json("true")]);
        var client = LoopbackRuntime.Client(_server, [new MappingDelete(new LoopbackProvider("scalar"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("scalar"), "102", new UnifiedRequestOptions { Format = ResponseFormat.Raw });

        Assert.Equal("true", Text(result));
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static RecordedAnswer Json(string body) => new(200, new Dictionary<string, string>(), body, "application/json");

    /// <summary>The body, after checking it is one JSON value (the unified answer must always be).</summary>
    private static string Text(UnifiedResult result)
    {
        using (JsonDocument.Parse(result.Body))
        {
        }
        return System.Text.Encoding.UTF8.GetString(result.Body.Span);
    }

    /// <summary>A delete whose mapping reads the answer as generated mappings do (<c>first_name: $.name</c>).</summary>
    private sealed class MappingDelete(LoopbackProvider provider) : SingleIdOperation
    {
        public override ProviderAdapter Provider => provider;

        public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id", "first_name"], [new("id", FieldLocation.Path, true)]);

        public override void BuildRequest(ProviderRequest request, RequestValues values)
        {
            request.Method = "DELETE";
            request.Path = "/contacts/" + Uri.EscapeDataString(values.Id);
        }

        public override void WriteContact(ContactWriter writer, MappingInput input)
        {
            writer.WriteString("id", MappedValue.From(input.Id));
            writer.WriteString("first_name", MappedValue.From(JsonNavigation.Property(input.Root, "name"u8)));
        }
    }
}
