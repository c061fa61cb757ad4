using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Security;

/// <summary>Server settings that concern tokens.</summary>
public sealed class TokenOptions
{
    /// <summary><c>TRUTO_API_TOKEN</c>: one token accepted besides the stored ones (containers, scripts).</summary>
    public string? EnvironmentToken { get; set; }
}

/// <summary>
/// Issues and checks API tokens. Tokens are random, shown once, and stored only as SHA-256
/// hashes; comparisons are constant-time.
/// </summary>
public sealed class ApiTokens(ITrutoStore store, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>Creates a token; the returned text is the only copy there will ever be.</summary>
    public async Task<(string Id, string Token)> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var token = "tm_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid().ToString();
        await store.AddTokenAsync(new StoredToken(id, name, Hash(token), time.GetUtcNow(), null), cancellationToken);
        return (id, token);
    }

    /// <summary>True when <paramref name="token"/> is the environment token or a stored, unrevoked one.</summary>
    public async Task<bool> IsValidAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }
        if (options.Value.EnvironmentToken is { Length: > 0 } environment
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(environment), Encoding.UTF8.GetBytes(token)))
        {
            return true;
        }
        return await store.FindTokenByHashAsync(Hash(token), cancellationToken) is { RevokedAt: null };
    }

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
