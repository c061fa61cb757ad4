using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.DependencyInjection;
using Truto.Mappings.Http;
using Truto.Mappings.Operations;
using Truto.Mappings.Runtime.Tests.Infrastructure;
using Truto.Mappings.Schema;
using Truto.Mappings.Testing;
using Truto.Mappings.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.Egress;

/// <summary>
/// The egress policy and the id rules over real HTTP on loopback: the connect-time guard with a
/// name that resolves to loopback (<c>localhost</c>), and ids and contexts refused before anything
/// is sent.
/// </summary>
public sealed class EgressOverHttpTests : IAsyncLifetime
{
    private static readonly UnifiedResource Resource = new("crm", "contacts", "", [], [],
    [
        new UnifiedMethod("delete", OperationShape.Single, "DELETE", "/unified/crm/contacts/{id}", "Delete", "", false, [], [], []),
        new UnifiedMethod("batch_delete", OperationShape.Batch, "POST", "/unified/crm/contacts/batch-delete", "Batch", "", true, [], [], []),
    ]);

    private static readonly RecordedAnswer NoContent = new(204, new Dictionary<string, string>(), null, "application/json");

    private ReplayServer _provider = null!;

    /// <summary>The provider's origin under the name <c>localhost</c> (it listens on 127.0.0.1).</summary>
    private string LocalhostOrigin => $"http://localhost:{_provider.Url.Port}";

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_at_connect_time_with_a_502_naming_the_reason()
    {
        _provider.Load([NoContent]);
        await using var services = Services();

        using var deadline = Deadline();
        using var response = await Transport(services).SendAsync(Call(LocalhostOrigin), stream: false, deadline);

        Assert.Equal(502, response.Status);
        Assert.Contains("localhost resolves to a loopback address", response.TransportError!.Message, StringComparison.Ordinal);
        Assert.Contains("Egress:AllowedBaseUrls", response.TransportError.Message, StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_refused_connection_is_not_retried()
    {
        using var logs = new CapturingLoggerProvider();
        await using var services = new ServiceCollection()
            .AddLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace))
            .AddTrutoMappingsRuntime(new OperationTable([new UnifiedOperation(Resource, "delete", [TestDelete.Instance])]), o =>
            {
                o.MaxAttempts = 3;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            })
            .BuildServiceProvider();

        using var deadline = Deadline();
        using var response = await Transport(services).SendAsync(Call(LocalhostOrigin), stream: false, deadline);

        Assert.Equal(502, response.Status);
        Assert.Single(logs.Lines, l => l.Contains("refused by the egress policy", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Refused_connections_do_not_open_the_accounts_circuit_breaker()
    {
        // The breaker judges the provider's health; our own refusal says nothing about it, and a 503
        // "paused" would hide the reason the caller must fix.
        await using var services = Services(o =>
        {
            o.MaxAttempts = 1;
            o.BreakerMinimumThroughput = 2;
        });

        for (var i = 0; i < 5; i++)
        {
            using var deadline = Deadline();
            using var response = await Transport(services).SendAsync(Call(LocalhostOrigin), stream: false, deadline);

            Assert.Equal(502, response.Status);
            Assert.Contains("loopback address", response.TransportError!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_loopback_address_literal_is_refused_too()
    {
        await using var services = Services();

        using var deadline = Deadline();
        using var response = await Transport(services).SendAsync(Call(_provider.Url.ToString()), stream: false, deadline);

        Assert.Equal(502, response.Status);
        Assert.Contains("127.0.0.1 resolves to a loopback address", response.TransportError!.Message, StringComparison.Ordinal);
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task The_same_name_is_reached_when_its_origin_is_listed_in_AllowedBaseUrls()
    {
        _provider.Load([NoContent]);
        await using var services = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin));

        using var deadline = Deadline();
        using var response = await Transport(services).SendAsync(Call(LocalhostOrigin), stream: false, deadline);

        Assert.Equal(204, response.Status);
        Assert.Equal("/contacts/51", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_configured_provider_base_url_on_loopback_is_trusted_through_the_client()
    {
        _provider.Load([NoContent]);
        await using var services = Services(o => o.ProviderBaseUrls["test"] = LocalhostOrigin);

        await using var result = await Client(services).DeleteAsync(Account("""{"api_key": "k", "region": "eu"}"""), "51");

        Assert.Equal(200, result.StatusCode);
        Assert.Single(_provider.Received);
    }

    [Fact]
    public async Task An_accounts_loopback_base_url_is_a_400_unless_listed_and_then_it_is_called()
    {
        _provider.Load([NoContent]);
        var account = Account($$"""{"api_key": "k", "region": "eu", "base_url": "{{LocalhostOrigin}}/api"}""");
        await using var closed = Services();
        await using var open = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin));

        await using var refused = await Client(closed).DeleteAsync(account, "51");
        await using var called = await Client(open).DeleteAsync(account, "51");

        Assert.Equal((400, "context.base_url"), (refused.StatusCode, Field(refused)));
        Assert.Equal(200, called.StatusCode);
        Assert.Equal("/api/contacts/51", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_context_value_with_a_line_break_is_a_400_naming_it_and_nothing_is_sent()
    {
        await using var services = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin));
        var account = Account($$"""{"api_key": "k\r\nX-Injected: 1", "region": "eu", "base_url": "{{LocalhostOrigin}}"}""");

        await using var result = await Client(services).DeleteAsync(account, "51");

        Assert.Equal((400, "context.api_key"), (result.StatusCode, Field(result)));
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task A_single_delete_of_an_id_outside_the_pattern_is_a_400_naming_id_and_nothing_is_sent()
    {
        await using var services = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin));

        await using var result = await Client(services).DeleteAsync(Account(BaseContext), "51;drop");

        Assert.Equal((400, "id"), (result.StatusCode, Field(result)));
        Assert.Empty(_provider.Received);
    }

    [Fact]
    public async Task An_id_holding_the_batch_separator_is_answered_in_errors_and_never_sent_as_several_ids()
    {
        _provider.Load([new RecordedAnswer(200, new Dictionary<string, string>(), """{"results": [{"id": "003C", "ok": true}]}""", "application/json")]);
        await using var services = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin));

        await using var result = await Client(services).BatchDeleteAsync(Account(BaseContext), ["003A,003B", "003C"]);

        using var body = result.ParseJson();
        Assert.Equal("003C", body.RootElement.GetProperty("result")[0].GetProperty("id").GetString());
        var error = Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal(("003A,003B", 400), (error.GetProperty("id").GetString(), error.GetProperty("statusCode").GetInt32()));
        Assert.Contains("separates ids", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("/contacts/batch?ids=003C", Assert.Single(_provider.Received).PathAndQuery);
    }

    [Fact]
    public async Task A_fan_out_refuses_ids_outside_the_single_operations_pattern_and_sends_the_others()
    {
        _provider.Load([NoContent]);
        await using var services = Services(o => o.Egress.AllowedBaseUrls.Add(LocalhostOrigin), fanOut: true);

        await using var result = await Client(services).BatchDeleteAsync(Account(BaseContext), ["51", "../51"]);

        using var body = result.ParseJson();
        Assert.Equal("51", body.RootElement.GetProperty("result")[0].GetProperty("id").GetString());
        Assert.Equal("../51", Assert.Single(body.RootElement.GetProperty("errors").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("/contacts/51", Assert.Single(_provider.Received).PathAndQuery);
    }

    public async Task InitializeAsync() => _provider = await ReplayServer.StartAsync();

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    private string BaseContext => $$"""{"api_key": "k", "region": "eu", "base_url": "{{LocalhostOrigin}}"}""";

    private static ServiceProvider Services(Action<TrutoMappingsOptions>? configure = null, bool fanOut = false)
    {
        var table = new OperationTable(
        [
            new UnifiedOperation(Resource, "delete", [TestDelete.Instance]),
            new UnifiedOperation(Resource, "batch_delete", [fanOut ? TestFanOut.Instance : TestBatch.Instance]),
        ]);
        return new ServiceCollection()
            .AddTrutoMappingsRuntime(table, o =>
            {
                o.MaxAttempts = 1;
                configure?.Invoke(o);
            })
            .BuildServiceProvider();
    }

    private static ProviderTransport Transport(IServiceProvider services) => services.GetRequiredService<ProviderTransport>();

    private static UnifiedContactsClient Client(IServiceProvider services) => services.GetRequiredService<UnifiedContactsClient>();

    private static ProviderCall Call(string baseUrl)
        => new("test", "acc-1", [], baseUrl, new ProviderRequest { Method = "DELETE", Path = "/contacts/51" }, [], null);

    private static IntegratedAccount Account(string context) => new("acc-1", "test", AccountContext.Parse(context));

    private static string? Field(UnifiedResult result)
    {
        using var body = result.ParseJson();
        return body.RootElement.GetProperty("details").GetProperty("failures")[0].GetProperty("field").GetString();
    }

    private static Deadline Deadline() => new(TimeSpan.FromMinutes(1), "Runtime:CallDeadline", TimeProvider.System, CancellationToken.None);
}
