using System.Net;
using Truto.Mappings.Egress;

namespace Truto.Mappings.Runtime.Tests.Egress;

/// <summary>Addresses provider calls may not reach unless allowed: loopback, private, link-local, unspecified, and their IPv4-mapped forms.</summary>
public sealed class BlockedAddressesTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.3.4.5", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("fc00::1", "private")]
    [InlineData("fd12:3456::1", "private")]
    [InlineData("169.254.169.254", "link-local")]
    [InlineData("::ffff:169.254.169.254", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("100.100.100.200", "shared (carrier-grade NAT)")]
    [InlineData("224.0.0.1", "multicast or reserved")]
    public void Addresses_a_provider_cannot_have_are_refused_with_a_reason(string address, string reason)
        => Assert.Equal(reason, BlockedAddresses.Reason(IPAddress.Parse(address)));

    [Theory]
    [InlineData("104.18.1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("172.15.255.255")]
    [InlineData("192.169.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:104.18.1.1")]
    public void Public_addresses_are_not(string address)
        => Assert.Null(BlockedAddresses.Reason(IPAddress.Parse(address)));
}
