using System.Security.Cryptography;
using System.Text;

namespace Truto.Mappings.Server.Connect;

/// <summary>PKCE (RFC 7636) with the S256 method, and the random values a flow needs.</summary>
public static class Pkce
{
    /// <summary>A new random value: 32 bytes, base64url (43 characters, the shortest verifier RFC 7636 allows).</summary>
    public static string NewRandom() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The S256 code challenge of <paramref name="verifier"/>: base64url(SHA-256(verifier)).</summary>
    public static string Challenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>The stored form of a <c>state</c> value (its SHA-256, hex).</summary>
    public static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
