using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Security;

/// <summary>Server settings that concern tokens.</summary>
public sealed class TokenOptions
{
    /// <summary><c>TRUTO_API_TOKEN</c>: one token accepted besides the stored ones (containers, scripts); every scope, every tenant, the default environment.</summary>
    public string? EnvironmentToken { get; set; }
}

/// <summary>
/// Issues and checks API tokens. Tokens are random, shown once, and stored only as SHA-256
/// hashes; comparisons are constant-time. Each token carries an environment, scopes and an
/// optional tenant, which become the request's <see cref="ApiCaller"/>.
/// </summary>
public sealed class ApiTokens(ITrutoStore store, IOptions<TokenOptions> options, TimeProvider time)
{
    /// <summary>Creates a token with every scope for every tenant of the default environment; the returned text is the only copy there will ever be.</summary>
    public Task<(string Id, string Token)> CreateAsync(string name, CancellationToken cancellationToken)
        => CreateAsync(name, new ApiCaller(null, StoredAccount.DefaultEnvironment, ApiScopes.All, null), cancellationToken);

    /// <summary>Creates a token granting what <paramref name="grant"/> describes (its token id is ignored); the returned text is the only copy there will ever be.</summary>
    public async Task<(string Id, string Token)> CreateAsync(string name, ApiCaller grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var token = "tm_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid().ToString();
        await store.AddTokenAsync(new StoredToken(id, name, Hash(token), grant.Environment, grant.Scopes, grant.TenantId, time.GetUtcNow(), null), cancellationToken);
        return (id, token);
    }

    /// <summary>The caller <paramref name="token"/> stands for: the environment token or a stored, unrevoked one; null for anything else.</summary>
    public async Task<ApiCaller?> AuthenticateAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        if (options.Value.EnvironmentToken is { Length: > 0 } environment
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(environment), Encoding.UTF8.GetBytes(token)))
        {
            return ApiCaller.EnvironmentToken;
        }
        return await store.FindTokenByHashAsync(Hash(token), cancellationToken) is { RevokedAt: null } stored
            ? new ApiCaller(stored.Id, stored.Environment, stored.Scopes, stored.TenantId)
            : null;
    }

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
