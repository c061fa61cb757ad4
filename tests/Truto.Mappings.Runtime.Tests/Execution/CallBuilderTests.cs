using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Execution;
using Truto.Mappings.Http;
using Truto.Mappings.Runtime.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.Execution;

/// <summary>The call builder: base URL policy, request, common headers, auth, and missing context keys.</summary>
public sealed class CallBuilderTests
{
    private const string Context = """{"api_key": "k", "region": "eu"}""";

    [Fact]
    public void Without_overrides_the_base_url_is_the_yamls()
        => Assert.Equal("https://eu.test.example", Build(Context).Call!.BaseUrl);

    [Fact]
    public void Configuration_replaces_the_yamls_base_url()
        => Assert.Equal("http://proxy.test", Build(Context, configured: "http://proxy.test").Call!.BaseUrl);

    [Fact]
    public void The_accounts_base_url_wins_over_configuration()
        => Assert.Equal("http://sandbox.test/x", Build("""{"api_key": "k", "base_url": "http://sandbox.test/x"}""", configured: "http://proxy.test").Call!.BaseUrl);

    [Fact]
    public void A_base_url_that_is_not_absolute_http_is_a_400_naming_base_url()
    {
        var (call, error) = Build("""{"api_key": "k", "base_url": "ftp://files.test"}""");

        Assert.Null(call);
        Assert.Equal((400, "base_url"), (error!.StatusCode, Field(error)));
    }

    [Fact]
    public void A_context_key_the_account_lacks_is_a_400_naming_it()
    {
        var (call, error) = Build("""{"region": "eu"}""");

        Assert.Null(call);
        Assert.Equal((400, "context.api_key"), (error!.StatusCode, Field(error)));
    }

    [Fact]
    public void The_request_carries_the_operations_shape_common_headers_first_and_auth_apart()
    {
        var request = Build(Context).Call!.Request;

        Assert.Equal(("DELETE", "/contacts/a%2Fb"), (request.Method, request.Path));
        Assert.Equal(["API-Version", "X-Operation"], request.Headers.Select(h => h.Key));
        Assert.Equal("Authorization", Assert.Single(request.SecretHeaders).Key);
    }

    [Fact]
    public void Remote_query_and_remote_data_travel_with_the_call_for_the_transport_to_merge()
    {
        var options = new UnifiedRequestOptions { RemoteQuery = [new("force", "true")] };
        var remoteData = System.Text.Json.JsonSerializer.SerializeToElement(new { note = "x" });

        var call = new CallBuilder(new TrutoMappingsOptions()).Build(TestDelete.Instance, Account(Context), Values(Context), options, remoteData).Call!;

        Assert.Equal(options.RemoteQuery, call.RemoteQuery);
        Assert.Equal("x", call.RemoteData!.Value.GetProperty("note").GetString());
    }

    private static (ProviderCall? Call, TrutoError? Error) Build(string context, string? configured = null)
    {
        var options = new TrutoMappingsOptions();
        if (configured is not null)
        {
            options.ProviderBaseUrls["test"] = configured;
        }
        return new CallBuilder(options).Build(TestDelete.Instance, Account(context), Values(context), UnifiedRequestOptions.Default, null);
    }

    /// <summary>The field a 400 names (its <c>details.failures[0].field</c>).</summary>
    private static string? Field(TrutoError error)
        => error.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString();

    private static IntegratedAccount Account(string context) => new("acc-1", "test", AccountContext.Parse(context));

    private static RequestValues Values(string context) => new("a/b", ["a/b"], AccountContext.Parse(context));
}
