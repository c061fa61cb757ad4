using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Formats;
using Truto.Mappings.Providers;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// The hot paths: a compiled mapping writing a full contact, reading a 200-item batch answer, and a
/// whole unified delete through the runtime (HTTP replaced by an in-memory handler, so the
/// runtime's own cost is what is measured).
/// </summary>
[MemoryDiagnoser]
public class MappingBenchmarks
{
    private static readonly byte[] NutshellAnswer = Encoding.UTF8.GetBytes("""
        {"meta": {"instanceId": "12345"},
         "contacts": [{"id": "3-contacts", "type": "contacts", "name": "Andy Fowler", "firstName": "Andy", "lastName": "Fowler", "jobTitle": "CEO",
           "createdTime": 1508393703, "modifiedTime": 1508400000,
           "emails": [{"isPrimary": true, "name": "work", "value": "andy@example.com"}, {"isPrimary": false, "name": "home", "value": "andy@home.example"}],
           "phones": [{"isPrimary": true, "name": "phone", "value": {"countryCode": "1", "number": "7341234567", "extension": "", "E164": "+17341234567"}}],
           "addresses": [{"isPrimary": true, "name": "address", "address_1": "206 E Huron St", "address_2": "Suite 200", "city": "Ann Arbor", "state": "MI", "postalCode": "48103", "country": "US"}],
           "urls": [{"isPrimary": true, "name": "LinkedIn", "value": "https://www.linkedin.com/in/andy"}],
           "customFields": {"Favorite color": "blue"},
           "links": {"accounts": ["1-accounts"], "owner": "5-users", "tags": ["1-tags"]}}],
         "accounts": [{"id": "1-accounts", "name": "Nutshell"}],
         "tags": [{"id": "1-tags", "name": "vip"}]}
        """);

    private JsonDocument _nutshell = null!;
    private JsonDocument _salesforceBatch = null!;
    private string[] _batchIds = null!;
    private ArrayBufferWriter<byte> _buffer = null!;
    private UnifiedContactsClient _client = null!;
    private IntegratedAccount _account = null!;

    [GlobalSetup]
    public void Setup()
    {
        _nutshell = JsonDocument.Parse(NutshellAnswer);
        _batchIds = Enumerable.Range(0, 200).Select(i => $"003Hs{i:D10}IAZ").ToArray();
        _salesforceBatch = JsonDocument.Parse(JsonSerializer.Serialize(_batchIds.Select((id, i) => i % 10 == 0
            ? (object)new { success = false, errors = new[] { new { statusCode = "ENTITY_IS_DELETED", message = "entity is deleted", fields = Array.Empty<string>() } } }
            : new { id, success = true, errors = Array.Empty<object>() })));
        _buffer = new ArrayBufferWriter<byte>(4096);
        // The in-memory handler answers any URL; the account's base must still pass the egress policy.
        var services = new ServiceCollection().AddTrutoMappings(o => o.Egress.AllowedBaseUrls.Add("http://bench.invalid"));
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new NoContentHandler()));
        _client = services.BuildServiceProvider().GetRequiredService<UnifiedContactsClient>();
        // Salesforce declares no request rate: HubSpot's (190 per 10 s) would, rightly, make the loop wait.
        _account = new IntegratedAccount("bench", "salesforce", AccountContext.Parse("""{"base_url": "http://bench.invalid", "oauth": {"token": {"access_token": "t"}}}"""));
    }

    [Benchmark(Description = "Nutshell: map a full contact to unified JSON")]
    public int MapNutshellContact()
    {
        _buffer.ResetWrittenCount();
        using var json = new Utf8JsonWriter(_buffer);
        json.WriteStartObject();
        NutshellAdapter.Contacts.Delete.Instance.WriteContact(new ContactWriter(json, FieldSelection.All), new MappingInput(_nutshell.RootElement, _nutshell.RootElement, "3-contacts"));
        json.WriteEndObject();
        json.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Salesforce: read a 200-item batch answer")]
    public int ReadSalesforceBatch()
        => SalesforceAdapter.Contacts.BatchDelete.Instance.ReadBatchItems(_salesforceBatch.RootElement, _batchIds)!.Count(r => r.Succeeded);

    [Benchmark(Description = "Salesforce: unified delete through the runtime (in-memory HTTP)")]
    public async Task<int> UnifiedDelete()
    {
        await using var result = await _client.DeleteAsync(_account, "003Hs0000000001IAZ");
        return result.Body.Length;
    }

    /// <summary>Answers every request like Salesforce's delete: 204, no body.</summary>
    private sealed class NoContentHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request });
    }
}
