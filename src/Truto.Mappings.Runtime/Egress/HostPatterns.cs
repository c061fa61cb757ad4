using System.Globalization;

namespace Truto.Mappings.Egress;

/// <summary>
/// Matches a host against a provider's declared hosts (YAML <c>hosts:</c>): <c>api.example.com</c>
/// matches itself only; <c>*.example.com</c> matches any subdomain of example.com at any depth, not
/// example.com itself. Both sides are compared in IDN (punycode) form, ignoring case.
/// </summary>
public static class HostPatterns
{
    private static readonly IdnMapping Idn = new();

    /// <summary>True when <paramref name="host"/> (an IDN host, as <see cref="Uri.IdnHost"/> gives it) is within <paramref name="patterns"/>.</summary>
    public static bool Contains(IReadOnlyList<string> patterns, string host)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(host);
        var candidate = host.TrimEnd('.');
        foreach (var pattern in patterns)
        {
            if (Matches(pattern, candidate))
            {
                return true;
            }
        }
        return false;
    }

    private static bool Matches(string pattern, string host)
    {
        var wildcard = pattern.StartsWith("*.", StringComparison.Ordinal);
        if (Normalize(wildcard ? pattern[2..] : pattern) is not { } domain)
        {
            return false;
        }
        return wildcard
            ? host.Length > domain.Length + 1 && host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            : host.Equals(domain, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The IDN form of a declared domain, or null when it is not a host name.</summary>
    private static string? Normalize(string domain)
    {
        try
        {
            return Idn.GetAscii(domain.TrimEnd('.')).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
