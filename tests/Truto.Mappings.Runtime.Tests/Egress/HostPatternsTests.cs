using Truto.Mappings.Egress;

namespace Truto.Mappings.Runtime.Tests.Egress;

/// <summary>Declared hosts: exact names, <c>*.</c> for any subdomain, IDN-safe and case-insensitive.</summary>
public sealed class HostPatternsTests
{
    private static readonly string[] Hosts = ["api.hubapi.com", "*.pipedrive.com", "*.zohoapis.eu"];

    [Theory]
    [InlineData("api.hubapi.com")]
    [InlineData("API.HubApi.com")]
    [InlineData("acme.pipedrive.com")]
    [InlineData("a.b.pipedrive.com")]
    [InlineData("www.zohoapis.eu")]
    [InlineData("acme.pipedrive.com.")]
    public void Hosts_within_the_declaration_match(string host)
        => Assert.True(HostPatterns.Contains(Hosts, host));

    [Theory]
    [InlineData("pipedrive.com")]
    [InlineData("evilpipedrive.com")]
    [InlineData("acme.pipedrive.com.evil.example")]
    [InlineData("x.api.hubapi.com")]
    [InlineData("hubapi.com")]
    [InlineData("127.0.0.1")]
    [InlineData("")]
    public void Other_hosts_do_not(string host)
        => Assert.False(HostPatterns.Contains(Hosts, host));

    [Fact]
    public void A_unicode_look_alike_is_compared_in_its_punycode_form_and_does_not_match()
    {
        // "pipedrivе.com" with a Cyrillic е is another domain.
        var host = new Uri("https://acme.pipedriv\u0435.com").IdnHost;

        Assert.StartsWith("acme.xn--", host, StringComparison.Ordinal);
        Assert.False(HostPatterns.Contains(Hosts, host));
    }

    [Fact]
    public void A_declared_unicode_domain_matches_its_punycode_host()
        => Assert.True(HostPatterns.Contains(["*.bücher.example"], new Uri("https://shop.BÜCHER.example").IdnHost));

    [Fact]
    public void No_declared_hosts_match_nothing()
        => Assert.False(HostPatterns.Contains([], "api.hubapi.com"));
}
