using Truto.Mappings.Adapters;
using Truto.Mappings.Egress;
using Truto.Mappings.Runtime.Tests.Infrastructure;

namespace Truto.Mappings.Runtime.Tests.Egress;

/// <summary>The URL check of bases an account controls, the allowed origins, and what the connect-time guard may let through.</summary>
public sealed class EgressPolicyTests
{
    private static ProviderInfo Provider => TestProvider.Instance.Info;

    [Theory]
    [InlineData("https://eu.test.example")]
    [InlineData("https://EU.Test.Example:8443/api/v2")]
    public void Https_on_a_declared_host_passes(string url)
        => Assert.Null(Policy().CheckAccountUrl(Provider, url, "context.base_url"));

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/", "must be https")]
    [InlineData("file:///etc/passwd", "not an absolute https URL")]
    [InlineData("gopher://127.0.0.1:6379/_INFO", "not an absolute https URL")]
    [InlineData("https://eu.test.example/x#", "'?' or '#'")]
    [InlineData("https://eu.test.example/x?", "'?' or '#'")]
    [InlineData("https://user:pw@eu.test.example", "user info")]
    [InlineData("https://127.0.0.1", "'127.0.0.1' is not one of them")]
    [InlineData("https://test.example", "'test.example' is not one of them")]
    [InlineData("relative/path", "not an absolute https URL")]
    public void Anything_else_is_a_400_naming_the_field_with_the_reason(string url, string reason)
    {
        var error = Policy().CheckAccountUrl(Provider, url, "context.region");

        Assert.Equal(400, error!.StatusCode);
        Assert.Equal("context.region", error.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString());
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://hooks.example.com/truto?token=abc")]
    [InlineData("https://93.184.216.34/hook")]
    public void A_callback_url_on_a_public_https_host_passes(string url)
        => Assert.Null(Policy().CheckCallbackUrl(url, "callback_url"));

    [Theory]
    [InlineData("http://hooks.example.com/x", "must be https")]
    [InlineData("https://user:pw@hooks.example.com/x", "user info")]
    [InlineData("https://hooks.example.com/x#frag", "fragment")]
    [InlineData("https://169.254.169.254/latest", "link-local")]
    [InlineData("https://10.1.2.3/x", "private")]
    [InlineData("https://[::1]/x", "loopback")]
    [InlineData("https://localhost:8443/x", "localhost")]
    [InlineData("ftp://hooks.example.com/x", "absolute https URL")]
    public void A_callback_url_anywhere_else_is_a_400_naming_the_field(string url, string reason)
    {
        var error = Policy().CheckCallbackUrl(url, "callback_url");

        Assert.Equal(400, error!.StatusCode);
        Assert.Equal("callback_url", error.Details!.Value.GetProperty("failures")[0].GetProperty("field").GetString());
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_callback_url_on_an_allowed_origin_may_be_http_and_loopback()
    {
        var options = new TrutoMappingsOptions();
        options.Egress.AllowedBaseUrls.Add("http://127.0.0.1:5099");

        Assert.Null(new EgressPolicy(options).CheckCallbackUrl("http://127.0.0.1:5099/hook", "callback_url"));
        Assert.NotNull(new EgressPolicy(options).CheckCallbackUrl("http://127.0.0.1:5100/hook", "callback_url"));
    }

    [Fact]
    public void An_allowed_origin_may_be_http_on_any_host_but_only_that_origin()
    {
        var policy = Policy("http://127.0.0.1:9001");

        Assert.Null(policy.CheckAccountUrl(Provider, "http://127.0.0.1:9001/sandbox/test", "context.base_url"));
        Assert.NotNull(policy.CheckAccountUrl(Provider, "http://127.0.0.1:9002", "context.base_url"));
        Assert.NotNull(policy.CheckAccountUrl(Provider, "https://127.0.0.1:9001", "context.base_url"));
    }

    [Fact]
    public void Allowed_origins_compare_by_scheme_host_and_port_ignoring_case_and_default_ports()
    {
        var policy = Policy("https://Proxy.Example/");

        Assert.True(policy.IsAllowed(Origin.Of(new Uri("https://proxy.example:443/a"))));
        Assert.False(policy.IsAllowed(Origin.Of(new Uri("http://proxy.example/a"))));
    }

    [Theory]
    [InlineData("http://127.0.0.1:9001/path")]
    [InlineData("http://user:pw@127.0.0.1:9001")]
    [InlineData("ftp://127.0.0.1")]
    [InlineData("127.0.0.1:9001")]
    public void A_configured_allowed_entry_that_is_not_an_origin_fails_the_start_without_echoing_it(string entry)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Policy(entry));

        Assert.Contains("Egress:AllowedBaseUrls:0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_adds_an_origin_at_run_time()
    {
        var policy = Policy();
        policy.Allow("http://localhost:5000");

        Assert.True(policy.IsAllowed(Origin.Of(new Uri("http://LOCALHOST:5000/sandbox"))));
    }

    [Fact]
    public void Configured_provider_base_urls_may_reach_any_address_but_are_not_allowed_for_accounts()
    {
        var options = new TrutoMappingsOptions();
        options.ProviderBaseUrls["test"] = "http://127.0.0.1:7000/sim";
        var policy = new EgressPolicy(options);
        var origin = Origin.Of(new Uri("http://127.0.0.1:7000"));

        Assert.True(policy.MayReachAnyAddress(origin));
        Assert.False(policy.IsAllowed(origin));
        Assert.False(policy.MayReachAnyAddress(Origin.Of(new Uri("http://127.0.0.1:7001"))));
    }

    [Fact]
    public void A_provider_that_declares_no_hosts_is_called_only_on_allowed_origins()
    {
        var bare = Provider with { Hosts = [] };

        Assert.NotNull(Policy().CheckAccountUrl(bare, "https://eu.test.example", "base_url"));
        Assert.Null(Policy("https://eu.test.example").CheckAccountUrl(bare, "https://eu.test.example/v1", "base_url"));
    }

    private static EgressPolicy Policy(params string[] allowed)
    {
        var options = new TrutoMappingsOptions();
        foreach (var origin in allowed)
        {
            options.Egress.AllowedBaseUrls.Add(origin);
        }
        return new EgressPolicy(options);
    }
}
