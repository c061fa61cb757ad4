using System.Net;
using System.Net.Sockets;

namespace Truto.Mappings.Egress;

/// <summary>
/// Addresses a provider call must not connect to unless its origin is allowed by configuration:
/// they reach the server itself, its network or its cloud's metadata service
/// (<c>169.254.169.254</c>), not a provider on the internet.
/// </summary>
public static class BlockedAddresses
{
    /// <summary>Why <paramref name="address"/> is refused (<c>loopback</c>, <c>private</c>, …), or null when a provider may live there.</summary>
    public static string? Reason(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => ReasonV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => ReasonV6(address),
            _ => "not an IP address",
        };
    }

    private static string? ReasonV4(byte[] b) => b switch
    {
        [0, ..] => "unspecified",
        [127, ..] => "loopback",
        [10, ..] => "private",
        [172, var second, ..] when (second & 0xF0) == 16 => "private",
        [192, 168, ..] => "private",
        [169, 254, ..] => "link-local",
        // Carrier-grade NAT space; some clouds serve metadata there (100.100.100.200).
        [100, var second, ..] when (second & 0xC0) == 64 => "shared (carrier-grade NAT)",
        [>= 224, ..] => "multicast or reserved",
        _ => null,
    };

    private static string? ReasonV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }
        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }
        if (address.IsIPv6LinkLocal)
        {
            return "link-local";
        }
        if (address.IsIPv6Multicast)
        {
            return "multicast or reserved";
        }
        var bytes = address.GetAddressBytes();
        if ((bytes[0] & 0xFE) == 0xFC || address.IsIPv6SiteLocal)
        {
            return "private";
        }
        // ::a.b.c.d (IPv4-compatible, deprecated) carries an IPv4 address like the mapped form does.
        if (bytes.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            return ReasonV4(bytes[12..]) ?? "reserved";
        }
        return null;
    }
}
