using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Truto.Mappings.Server.Jobs;

/// <summary>
/// The <c>Truto-Signature</c> header of a job callback: <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c>,
/// where v1 is HMAC-SHA256 with <c>Jobs:CallbackSigningSecret</c> over <c>"{t}.{body}"</c> (the
/// body's exact bytes). A receiver recomputes it, compares in constant time and refuses old
/// timestamps, so a captured callback cannot be replayed later.
/// </summary>
public static class CallbackSignature
{
    public const string Header = "Truto-Signature";

    /// <summary>The header value for <paramref name="body"/> sent at <paramref name="unixSeconds"/>.</summary>
    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return $"t={unixSeconds.ToString(CultureInfo.InvariantCulture)},v1={Convert.ToHexStringLower(Mac(secret, unixSeconds, body))}";
    }

    /// <summary>
    /// True when <paramref name="header"/> signs <paramref name="body"/> with <paramref name="secret"/>
    /// and its timestamp is within <paramref name="tolerance"/> of <paramref name="now"/>: what a receiver checks.
    /// </summary>
    public static bool Verify(string secret, string header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(header);
        long? t = null;
        byte[]? v1 = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal) && long.TryParse(part.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                t = seconds;
            }
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && part.Length == 3 + 64)
            {
                try
                {
                    v1 = Convert.FromHexString(part.AsSpan(3));
                }
                catch (FormatException)
                {
                    return false;
                }
            }
        }
        if (t is not { } sent || v1 is null || (now - DateTimeOffset.FromUnixTimeSeconds(sent)).Duration() > tolerance)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(v1, Mac(secret, sent, body));
    }

    private static byte[] Mac(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(unixSeconds.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message);
    }
}
