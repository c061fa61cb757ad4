using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Formats;
using Truto.Mappings.Json;
using Truto.Mappings.Operations;
using Truto.Mappings.Testing;
using Truto.Mappings.Unified;

namespace Truto.Mappings.Tests;

/// <summary>
/// A batch whose handling fails inside one chunk still answers every id: the failed chunk's ids
/// as 502s, the other chunks' outcomes as the provider gave them — never a 500 that hides which
/// contacts were deleted.
/// </summary>
public sealed class BatchChunkFailureTests : IAsyncLifetime
{
    private ReplayServer _server = null!;

    [Fact]
    public async Task An_exception_inside_one_chunk_fails_only_that_chunks_ids()
    {
        _server.Load(
        [
            new RecordedAnswer(200, new Dictionary<string, string>(), """{"deleted": ["1", "2"]}""", "application/json"),
            new RecordedAnswer(200, new Dictionary<string, string>(), """{"deleted": "not a list"}""", "application/json"),
        ]);
        var client = new ServiceCollection()
            .AddTrutoMappingsRuntime(new OperationTable([new UnifiedOperation(ContactsSchema.Resource, "batch_delete", [FragileBatch.Instance])]),
                o => o.ProviderBaseUrls["fragile"] = _server.Url.ToString())
            .BuildServiceProvider()
            .GetRequiredService<UnifiedContactsClient>();

        await using var result = await client.BatchDeleteAsync(new IntegratedAccount("acc-1", "fragile", AccountContext.Parse("{}")), ["1", "2", "3", "4"]);

        Assert.Equal(200, result.StatusCode);
        using var body = JsonDocument.Parse(result.Body);
        Assert.Equal(["1", "2"], body.RootElement.GetProperty("result").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var errors = body.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(["3", "4"], errors.Select(e => e.GetProperty("id").GetString()));
        Assert.All(errors, e => Assert.Equal(502, e.GetProperty("statusCode").GetInt32()));
        Assert.All(errors, e => Assert.Contains("unknown", e.GetProperty("message").GetString(), StringComparison.Ordinal));
        Assert.Equal(2, _server.Received.Count);
    }

    public async Task InitializeAsync() => _server = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>A provider whose batch answer reader throws when <c>deleted</c> is not a list (as a bug in generated code could).</summary>
    private sealed class FragileProvider : ProviderAdapter
    {
        public static FragileProvider Instance { get; } = new();

        public override ProviderInfo Info { get; } = new("fragile", "Fragile CRM", null, [], [FragileBatch.Instance.Info]);

        public override string BuildBaseUrl(AccountContext context) => "https://fragile.invalid";

        public override void Authenticate(ProviderRequest request, AccountContext context)
        {
        }
    }

    private sealed class FragileBatch : BatchOperation
    {
        public static FragileBatch Instance { get; } = new();

        public override ProviderAdapter Provider => FragileProvider.Instance;

        // One call at a time, two ids each: the answers pair with the chunks in order.
        public override OperationInfo Info { get; } = new("contacts", "batch_delete", BatchStrategy.Native, 2, 1, ["id"], [new("id", FieldLocation.Body, true)]);

        public override void BuildRequest(ProviderRequest request, RequestValues values)
        {
            request.Method = "POST";
            request.Path = "/batch";
        }

        public override IReadOnlyList<BatchItemResult>? ReadBatchItems(JsonElement body, IReadOnlyList<string> ids)
            => BatchItemResult.ById(ids, body.GetProperty("deleted").EnumerateArray().ToList(), item => item.GetString(), _ => true, _ => null, _ => null);

        public override void WriteContact(ContactWriter writer, MappingInput input) => writer.WriteString("id", MappedValue.From(input.Id));
    }
}
