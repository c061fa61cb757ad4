using System.Text.Json;
using Truto.Mappings.Adapters;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Requests;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.Execution;

/// <summary>
/// Operations that send ids as JSON numbers (<c>{{ids | number}}</c>, Freshsales'
/// <c>{"selected_ids": [102, 103]}</c>), through the real runtime on loopback: an id that is not a
/// JSON number is refused for that id and never sent; the other ids of a batch still are.
/// </summary>
public sealed class NumericIdTests : IAsyncLifetime
{
    private ReplayServer _server = null!;

    [Fact]
    public async Task A_batch_sends_its_numeric_ids_as_numbers_and_answers_the_others_in_errors()
    {
        _server.Load([new RecordedAnswer(200, new Dictionary<string, string>(), "true", "application/json")]);
        var client = LoopbackRuntime.Client(_server, [new NumericBatch(new LoopbackProvider("numbers"))]);

        await using var result = await client.BatchDeleteAsync(LoopbackRuntime.Account("numbers"), ["102", "007", "103", "1,000"]);

        Assert.Equal("""{"selected_ids":[102,103]}""", Assert.Single(_server.Received).Body);
        using var answer = JsonDocument.Parse(result.Body);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(["102", "103"], answer.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = answer.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["007", "1,000"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal(400, e.GetProperty("statusCode").GetInt32()));
        Assert.All(errors, e => Assert.Contains("is not a number", e.GetProperty("message").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_single_delete_of_an_id_that_is_no_number_is_a_400_and_nothing_is_sent()
    {
        var client = LoopbackRuntime.Client(_server, [new NumericDelete(new LoopbackProvider("numbers"))]);

        await using var result = await client.DeleteAsync(LoopbackRuntime.Account("numbers"), "1e");

        Assert.Equal(400, result.StatusCode);
        Assert.Empty(_server.Received);
    }

    [Theory]
    [InlineData("\"102\"")]
    [InlineData("007")]
    [InlineData("{}")]
    public void The_number_writer_stands_guard_against_text_that_is_no_number(string text)
    {
        using var json = new Utf8JsonWriter(new System.Buffers.ArrayBufferWriter<byte>());

        Assert.Throws<FormatException>(() => RequestNumbers.Write(json, text));
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A JSON object body whose members <paramref name="members"/> writes, as generated operations build theirs.</summary>
    private static ReadOnlyMemory<byte> JsonBody(Action<Utf8JsonWriter> members)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            members(json);
            json.WriteEndObject();
        }
        return buffer.WrittenMemory;
    }

    /// <summary>A native batch whose body is <c>{"selected_ids": "{{ids | number}}"}</c>, as the generator writes it.</summary>
    private sealed class NumericBatch(LoopbackProvider provider) : BatchOperation
    {
        public override ProviderAdapter Provider => provider;

        public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, 100, 1, ["id"], [new("id", FieldLocation.Body, true)]) { NumericIds = true };

        public override void BuildRequest(ProviderRequest request, RequestValues values)
        {
            request.Method = "POST";
            request.Path = "/contacts/bulk_destroy";
            request.Body = JsonBody(json =>
            {
                json.WritePropertyName("selected_ids"u8);
                json.WriteStartArray();
                foreach (var id in values.Ids)
                {
                    RequestNumbers.Write(json, id);
                }
                json.WriteEndArray();
            });
        }

        public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
    }

    /// <summary>A delete whose body is <c>{"id": "{{id | number}}"}</c>.</summary>
    private sealed class NumericDelete(LoopbackProvider provider) : SingleIdOperation
    {
        public override ProviderAdapter Provider => provider;

        public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Body, true)]) { NumericIds = true };

        public override void BuildRequest(ProviderRequest request, RequestValues values)
        {
            request.Method = "POST";
            request.Path = "/contacts/delete";
            request.Body = JsonBody(json =>
            {
                json.WritePropertyName("id"u8);
                RequestNumbers.Write(json, values.Id);
            });
        }

        public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
    }
}
