using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Truto.Mappings.Accounts;
using Truto.Mappings.Client;

namespace Truto.Mappings.Benchmarks;

/// <summary>
/// The runtime with HTTP answered in memory (Salesforce's delete: 204, no body), so a benchmark of a
/// unified delete measures the runtime's own cost, and a Salesforce account that passes every check.
/// </summary>
internal static class InMemoryRuntime
{
    /// <summary>The contact id the benchmarks delete.</summary>
    public const string ContactId = "003Hs0000000001IAZ";

    /// <summary>
    /// The client and account; throws unless a delete succeeds, since a benchmark of a refusal would
    /// measure the wrong path (one did, until <c>instance_url</c> became required).
    /// </summary>
    public static (UnifiedContactsClient Client, IntegratedAccount Account) Start()
    {
        // The in-memory handler answers any URL; the account's base must still pass the egress policy.
        var services = new ServiceCollection().AddTrutoMappings(o => o.Egress.AllowedBaseUrls.Add("http://bench.invalid"));
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(b => b.PrimaryHandler = new NoContentHandler()));
        var client = services.BuildServiceProvider().GetRequiredService<UnifiedContactsClient>();
        // Salesforce declares no request rate: HubSpot's (190 per 10 s) would, rightly, make the loop wait.
        var account = new IntegratedAccount("bench", "salesforce", AccountContext.Parse("""{"base_url": "http://bench.invalid", "instance_url": "https://bench.my.salesforce.com", "oauth": {"token": {"access_token": "t"}}}"""));
        var check = client.DeleteAsync(account, ContactId).GetAwaiter().GetResult();
        if (check.StatusCode != 200)
        {
            throw new InvalidOperationException($"The benchmarked delete answers {check.StatusCode}: {System.Text.Encoding.UTF8.GetString(check.Body.Span)}");
        }
        check.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return (client, account);
    }

    private sealed class NoContentHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request });
    }
}
