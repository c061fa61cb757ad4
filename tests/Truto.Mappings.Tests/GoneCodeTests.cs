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
/// "Already gone" answers (a YAML's <c>errors.gone_codes</c>) count as deleted; other errors keep
/// the provider's status. The adapter and its operation are hand-written to declare a gone code, as a YAML would.
/// </summary>
public sealed class GoneCodeTests : IAsyncLifetime
{
    private ReplayServer _server = null!;
    private ServiceProvider _services = null!;

    [Fact]
    public async Task A_delete_the_provider_answers_with_a_gone_code_is_a_success()
    {
        _server.Load([new RecordedAnswer(410, new Dictionary<string, string>(), """{"code": "ALREADY_DELETED", "message": "gone"}""", "application/json")]);

        await using var result = await Client.DeleteAsync(Account, "7");

        Assert.Equal(200, result.StatusCode);
        Assert.Equal("""{"id":"7"}""", System.Text.Encoding.UTF8.GetString(result.Body.Span));
    }

    [Fact]
    public async Task Another_error_code_stays_an_error_with_the_providers_status()
    {
        _server.Load([new RecordedAnswer(410, new Dictionary<string, string>(), """{"code": "LOCKED", "message": "locked"}""", "application/json")]);

        await using var result = await Client.DeleteAsync(Account, "7");

        Assert.Equal(410, result.StatusCode);
        Assert.Equal("locked", result.Error!.Message);
    }

    private UnifiedContactsClient Client => _services.GetRequiredService<UnifiedContactsClient>();

    private IntegratedAccount Account => new("acc", "gone_example", new AccountContext(JsonSerializer.SerializeToElement(new { base_url = _server.Url.ToString() })));

    public async Task InitializeAsync()
    {
        _server = await ReplayServer.StartAsync();
        var operations = new OperationTable([new UnifiedOperation(ContactsSchema.Resource, "delete", [GoneExampleDelete.Instance])]);
        _services = new ServiceCollection().AddTrutoMappingsRuntime(operations, o =>
        {
            o.MaxAttempts = 1;
            o.Egress.AllowedBaseUrls.Add(_server.Origin);
        }).BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _server.DisposeAsync();
    }

    private sealed class GoneExampleAdapter : ProviderAdapter
    {
        public static GoneExampleAdapter Instance { get; } = new();

        public override ProviderInfo Info { get; } = new("gone_example", "Gone Example", null, [], [GoneExampleDelete.Instance.Info]);

        public override string BuildBaseUrl(AccountContext context) => "http://unused.invalid";

        public override void Authenticate(ProviderRequest request, AccountContext context)
        {
        }

        public override string? ReadErrorCode(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "code"u8));

        public override string? ReadErrorMessage(JsonElement body) => JsonNavigation.AsText(JsonNavigation.Property(body, "message"u8));

        public override bool IsGoneCode(string code) => code == "ALREADY_DELETED";
    }

    /// <summary>The delete operation, as the generator would nest it in the adapter.</summary>
    private sealed class GoneExampleDelete : SingleIdOperation
    {
        public static GoneExampleDelete Instance { get; } = new();

        public override ProviderAdapter Provider => GoneExampleAdapter.Instance;

        public override OperationInfo Info { get; } = new("contacts", "delete", BatchStrategy.Native, 1, 1, ["id"], [new("id", FieldLocation.Path, true)]);

        public override void BuildRequest(ProviderRequest request, RequestValues values)
            => request.Path = "/contacts/" + Uri.EscapeDataString(values.Id);

        public override void WriteContact(ContactWriter writer, MappingInput input)
            => writer.WriteString("id", MappedValue.From(input.Id));
    }
}
