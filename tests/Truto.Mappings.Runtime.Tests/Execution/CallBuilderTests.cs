using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Egress;
using Truto.Mappings.Errors;
using Truto.Mappings.Execution;
using Truto.Mappings.Http;
using Truto.Mappings.Runtime.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.Execution;

/// <summary>The call builder: base URL policy and egress checks, context validation, request, common headers, auth.</summary>
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
        => Assert.Equal("https://sandbox.test.example/x", Build("""{"api_key": "k", "region": "eu", "base_url": "https://sandbox.test.example/x"}""", configured: "http://proxy.test").Call!.BaseUrl);

    [Fact]
    public void Configuration_is_trusted_as_it_is_http_and_loopback_included()
        => Assert.Equal("http://127.0.0.1:9001", Build(Context, configured: "http://127.0.0.1:9001").Call!.BaseUrl);

    [Theory]
    [InlineData("ftp://files.test")]
    [InlineData("file:///etc/passwd")]
    [InlineData("gopher://127.0.0.1:6379/_INFO")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("https://eu.test.example/x#")]
    [InlineData("https://eu.test.example/x?")]
    [InlineData("https://user:secret@eu.test.example")]
    [InlineData("https://evil.example")]
    [InlineData("http://eu.test.example")]
    public void An_accounts_base_url_outside_the_egress_policy_is_a_400_naming_context_base_url(string baseUrl)
    {
        var (call, error) = Build($$"""{"api_key": "k", "region": "eu", "base_url": "{{baseUrl}}"}""");

        Assert.Null(call);
        Assert.Equal((400, "context.base_url"), (error!.StatusCode, Field(error)));
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_accounts_base_url_on_an_allowed_origin_may_be_http_and_anywhere()
        => Assert.Equal("http://127.0.0.1:9001/sim", Build("""{"api_key": "k", "region": "eu", "base_url": "http://127.0.0.1:9001/sim"}""", allowed: "http://127.0.0.1:9001").Call!.BaseUrl);

    [Fact]
    public void An_allowed_origin_does_not_excuse_a_fragment_or_user_info()
    {
        Assert.Equal("context.base_url", Field(Build("""{"api_key": "k", "region": "eu", "base_url": "http://127.0.0.1:9001/x#"}""", allowed: "http://127.0.0.1:9001").Error!));
        Assert.Equal("context.base_url", Field(Build("""{"api_key": "k", "region": "eu", "base_url": "http://u:p@127.0.0.1:9001"}""", allowed: "http://127.0.0.1:9001").Error!));
    }

    [Theory]
    [InlineData("127.0.0.1:9103/x#")]
    [InlineData("eu.evil.example/y?")]
    [InlineData("eu@evil")]
    public void A_url_forming_key_that_would_redirect_the_call_is_a_400_naming_it(string region)
    {
        var (call, error) = Build($$"""{"api_key": "k", "region": "{{region}}"}""");

        Assert.Null(call);
        Assert.Equal((400, "context.region"), (error!.StatusCode, Field(error)));
    }

    [Fact]
    public void A_context_value_with_a_line_break_is_a_400_naming_it_before_anything_is_built()
    {
        var (call, error) = Build("""{"api_key": "k\r\nX-Injected: 1", "region": "eu"}""");

        Assert.Null(call);
        Assert.Equal((400, "context.api_key"), (error!.StatusCode, Field(error)));
    }

    [Fact]
    public void A_required_context_key_the_account_lacks_is_a_400_naming_it()
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

        var settings = new TrutoMappingsOptions();
        var call = new CallBuilder(settings, new EgressPolicy(settings)).Build(TestDelete.Instance, Account(Context), Values(Context), options, remoteData).Call!;

        Assert.Equal(options.RemoteQuery, call.RemoteQuery);
        Assert.Equal("x", call.RemoteData!.Value.GetProperty("note").GetString());
    }

    private static (ProviderCall? Call, TrutoError? Error) Build(string context, string? configured = null, string? allowed = null)
    {
        var options = new TrutoMappingsOptions();
        if (configured is not null)
        {
            options.ProviderBaseUrls["test"] = configured;
        }
        if (allowed is not null)
        {
            options.Egress.AllowedBaseUrls.Add(allowed);
        }
        return new CallBuilder(options, new EgressPolicy(options)).Build(TestDelete.Instance, Account(context), Values(context), UnifiedRequestOptions.Default, null);
    }

    /// <summary>The field a 400 names (its <c>details.failures[0].field</c>).</summary>
    private static string? Field(TrutoError error)
        => error.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString();

    private static IntegratedAccount Account(string context) => new("acc-1", "test", AccountContext.Parse(context));

    private static RequestValues Values(string context) => new("a/b", ["a/b"], AccountContext.Parse(context));
}
