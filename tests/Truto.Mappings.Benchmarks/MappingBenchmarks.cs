using System.Buffers;
using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Execution;
using Truto.Mappings.Formats;
using Truto.Mappings.Providers;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// The mapping hot path, provider bytes to unified bytes (parse, map, <c>remote_data</c>), against a
/// hand-written <see cref="JsonDocument"/> + <see cref="Utf8JsonWriter"/> mapper of the same answer
/// (the baseline of each category, so the Ratio column is the distance to it); plus a whole unified
/// delete through the runtime (HTTP replaced by an in-memory handler).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class MappingBenchmarks
{
    private const string Nutshell = "Nutshell delete answer";
    private const string SalesforceBatch = "Salesforce 200-item batch answer";

    private ProviderFixture _nutshell = null!;
    private ProviderOperation _nutshellDelete = null!;
    private byte[] _salesforceBatch = null!;
    private string[] _batchIds = null!;
    private ArrayBufferWriter<byte> _buffer = null!;
    private FieldSelection _selection = null!;
    private UnifiedContactsClient _client = null!;
    private IntegratedAccount _account = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nutshell = ProviderFixture.Load("nutshell/delete.success-with-body");
        _nutshellDelete = NutshellAdapter.Contacts.Delete.Instance;
        // 200 ids all deleted: the items are what remote_data carries (failures are error envelopes, not mapping).
        _batchIds = Enumerable.Range(0, 200).Select(i => $"003Hs{i:D10}IAZ").ToArray();
        _salesforceBatch = JsonSerializer.SerializeToUtf8Bytes(_batchIds.Select(id => new { id, success = true, errors = Array.Empty<object>() }));
        _buffer = new ArrayBufferWriter<byte>(64 * 1024);
        _selection = ResponseWriter.Selection(UnifiedRequestOptions.Default);

        // The baselines are honest only if they write what the generated mappings write.
        RequireSameBytes(Nutshell, GeneratedNutshell, HandWrittenNutshell);
        RequireSameBytes(SalesforceBatch, GeneratedSalesforceBatch, HandWrittenSalesforceBatch);

        (_client, _account) = InMemoryRuntime.Start();
    }

    [Benchmark(Baseline = true, Description = "hand-written JsonDocument + Utf8JsonWriter")]
    [BenchmarkCategory(Nutshell)]
    public int HandWrittenNutshell()
    {
        using var json = Start();
        HandWrittenMappers.WriteNutshellContact(json, _nutshell.Body, _nutshell.Ids[0]);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "generated (OutcomeInterpreter + ResponseWriter.WriteContact)")]
    [BenchmarkCategory(Nutshell)]
    public int GeneratedNutshell()
    {
        using var json = Start();
        UnifiedBody.WriteSingle(json, _nutshellDelete, _nutshell.Body, _nutshell.Status, _nutshell.Ids[0], UnifiedRequestOptions.Default, _selection);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "generated, as the runtime answers (ResponseWriter.Single, fresh output buffer)")]
    [BenchmarkCategory(Nutshell)]
    public int RuntimeNutshell()
    {
        var outcome = OutcomeInterpreter.Single(_nutshellDelete, new Http.ProviderAnswer(_nutshell.Status, _nutshell.Body), _nutshell.Ids[0], OutcomeInterpreter.DefaultMaxRawBytes, out var document);
        using (document)
        {
            return ResponseWriter.Single(_nutshellDelete, outcome, UnifiedRequestOptions.Default, []).Body.Length;
        }
    }

    [Benchmark(Baseline = true, Description = "hand-written JsonDocument + Utf8JsonWriter")]
    [BenchmarkCategory(SalesforceBatch)]
    public int HandWrittenSalesforceBatch()
    {
        using var json = Start();
        HandWrittenMappers.WriteSalesforceBatch(json, _salesforceBatch, _batchIds);
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "generated (OutcomeInterpreter + ResponseWriter.WriteContact)")]
    [BenchmarkCategory(SalesforceBatch)]
    public int GeneratedSalesforceBatch()
    {
        using var json = Start();
        UnifiedBody.WriteBatch(json, SalesforceAdapter.Contacts.BatchDelete.Instance, _salesforceBatch, 200, _batchIds, UnifiedRequestOptions.Default, _selection);
        return _buffer.WrittenCount;
    }

    [Benchmark(Baseline = true, Description = "Salesforce: unified delete through the runtime (in-memory HTTP)")]
    [BenchmarkCategory("Runtime call")]
    public async Task<int> UnifiedDelete()
    {
        await using var result = await _client.DeleteAsync(_account, InMemoryRuntime.ContactId);
        return result.Body.Length;
    }

    /// <summary>The generated batch answer's stages on their own, for <see cref="CpuTimeComparison"/>'s breakdown.</summary>
    internal IEnumerable<(string Stage, Func<int> Action)> SalesforceBatchStages()
    {
        var operation = SalesforceAdapter.Contacts.BatchDelete.Instance;
        var answer = new Http.ProviderAnswer(200, _salesforceBatch);
        var outcomes = OutcomeInterpreter.Batch(operation, answer, _batchIds);
        yield return ("parse only (JsonDocument.Parse, pooled, disposed: what the hand-written mapper parses)", () =>
        {
            using var document = JsonDocument.Parse(_salesforceBatch);
            return document.RootElement.GetArrayLength();
        });
        yield return ("parse and clone (ProviderErrorReader.TryParse)", () => Errors.ProviderErrorReader.TryParse(_salesforceBatch)!.Value.GetArrayLength());
        yield return ("OutcomeInterpreter.Batch (parse, clone, ReadBatchItems, outcomes)", () => OutcomeInterpreter.Batch(operation, answer, _batchIds).Count);
        yield return ("ReadBatchItems alone (generated: items paired by position)", () => operation.ReadBatchItems(outcomes[0].Root!.Value, _batchIds)!.Count);
        yield return ("writing the 200 contacts from ready outcomes (ResponseWriter.WriteContact)", () =>
        {
            using var json = Start();
            json.WriteStartObject();
            json.WriteStartArray("result"u8);
            var writer = new ContactWriter(json, _selection);
            foreach (var outcome in outcomes)
            {
                json.WriteStartObject();
                ResponseWriter.WriteContact(operation, writer, UnifiedRequestOptions.Default, outcome);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            return _buffer.WrittenCount;
        });
    }

    /// <summary>A writer per answer, as the runtime makes one, over an output buffer reused between answers.</summary>
    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        return new Utf8JsonWriter(_buffer, ResponseWriter.WriterOptions);
    }

    private void RequireSameBytes(string category, Func<int> generated, Func<int> handWritten)
    {
        generated();
        var expected = _buffer.WrittenSpan.ToArray();
        handWritten();
        if (!_buffer.WrittenSpan.SequenceEqual(expected))
        {
            throw new InvalidOperationException($"{category}: the hand-written mapper writes other bytes than the generated one.\ngenerated:    {System.Text.Encoding.UTF8.GetString(expected)}\nhand-written: {System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan)}");
        }
    }
}

/// <summary>
/// Every provider's recorded success answers (the mapping tests' fixtures), provider bytes to
/// unified bytes with the fixture's request options: parse, map, <c>remote_data</c>.
/// </summary>
[MemoryDiagnoser]
public class ProviderFixtureBenchmarks
{
    private ProviderFixture _fixture = null!;
    private ProviderOperation _operation = null!;
    private UnifiedRequestOptions _options = null!;
    private FieldSelection _selection = null!;
    private ArrayBufferWriter<byte> _buffer = null!;

    /// <summary>The fixture, as <c>provider/name</c>.</summary>
    [ParamsSource(nameof(Fixtures))]
    public string Fixture { get; set; } = "";

    public static IEnumerable<string> Fixtures() => ProviderFixture.Successes();

    [GlobalSetup]
    public void Setup()
    {
        _fixture = ProviderFixture.Load(Fixture);
        _operation = GeneratedProviders.Operations.Find("contacts", _fixture.Method)!.For(_fixture.Provider)
            ?? throw new InvalidOperationException($"{_fixture.Provider} does not map {_fixture.Method}.");
        var options = _fixture.Options;
        _options = options is null ? UnifiedRequestOptions.Default : new UnifiedRequestOptions
        {
            Format = UnifiedRequestOptions.ParseFormat((string?)options["format"]) ?? ResponseFormat.Unified,
            IgnoreRemoteData = (bool?)options["ignore_remote_data"] ?? false,
            ExcludeFields = options["exclude_fields"]?.AsArray().Select(f => (string)f!).ToList() ?? [],
        };
        _selection = ResponseWriter.Selection(_options);
        _buffer = new ArrayBufferWriter<byte>(64 * 1024);
    }

    [Benchmark(Description = "provider bytes to unified bytes")]
    public int Map()
    {
        _buffer.ResetWrittenCount();
        using var json = new Utf8JsonWriter(_buffer, ResponseWriter.WriterOptions);
        if (_operation is BatchOperation batch)
        {
            UnifiedBody.WriteBatch(json, batch, _fixture.Body, _fixture.Status, _fixture.Ids, _options, _selection);
        }
        else
        {
            UnifiedBody.WriteSingle(json, _operation, _fixture.Body, _fixture.Status, _fixture.Ids[0], _options, _selection);
        }
        return _buffer.WrittenCount;
    }
}
