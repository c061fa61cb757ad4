using Truto.Mappings.Server.Security;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// An API token as stored: never the token itself, only its SHA-256 hash, with what it grants:
/// an environment, scopes and, for a tenant-limited token, its tenant.
/// </summary>
public sealed record StoredToken(string Id, string Name, string Hash, string Environment, ApiScopes Scopes, string? TenantId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>An integrated account as stored; <see cref="Context"/> is plain JSON here and encrypted at rest.</summary>
public sealed record StoredAccount(string Id, string Integration, string? TenantId, string Status, string Context, DateTimeOffset CreatedAt)
{
    /// <summary>The environment of accounts and tokens that name none (and of every row from before environments existed).</summary>
    public const string DefaultEnvironment = "default";

    /// <summary>The environment the account belongs to: only tokens of that environment see it.</summary>
    public string Environment { get; init; } = DefaultEnvironment;
}

/// <summary>A finished batch-delete answer kept for its <c>Idempotency-Key</c>.</summary>
public sealed record StoredAnswer(string Key, string RequestHash, int Status, string ContentType, string Headers, byte[] Body, DateTimeOffset CreatedAt);

/// <summary>
/// Everything the server persists, behind one small interface so another store (PostgreSQL for
/// several instances) can replace SQLite without touching the endpoints.
/// </summary>
public interface ITrutoStore
{
    /// <summary>Creates tables and applies migrations; safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken);

    Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every token, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken);

    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken);

    Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken);

    /// <summary>The accounts of <paramref name="environment"/> and <paramref name="tenantId"/> (null: any), oldest first.</summary>
    Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken);

    /// <summary>Replaces an account's tenant, status and context (its id, integration, environment and creation time stay); false when it no longer exists.</summary>
    Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken);

    Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken);

    Task<StoredAnswer?> FindAnswerAsync(string key, DateTimeOffset notBefore, CancellationToken cancellationToken);

    /// <summary>Keeps <paramref name="answer"/> and clears the answers created before <paramref name="expiredBefore"/> (the idempotency window is the caller's setting).</summary>
    Task SaveAnswerAsync(StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken);
}
