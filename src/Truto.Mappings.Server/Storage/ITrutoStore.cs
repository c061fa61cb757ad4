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

    /// <summary>The status of an account that works (or has not been found not to).</summary>
    public const string ActiveStatus = "active";

    /// <summary>
    /// The status of an account whose refresh token the provider refused (<c>invalid_grant</c>):
    /// unified calls answer 401 without asking the provider until its context is updated.
    /// </summary>
    public const string NeedsReauthStatus = "needs_reauth";

    /// <summary>The environment the account belongs to: only tokens of that environment see it.</summary>
    public string Environment { get; init; } = DefaultEnvironment;

    /// <summary>Why the account has its status (the provider's message for <see cref="NeedsReauthStatus"/>); null when active.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>When the account got its status; null when active.</summary>
    public DateTimeOffset? StatusAt { get; init; }
}

/// <summary>
/// A batch-delete answer kept for its <c>Idempotency-Key</c>, or (<see cref="IsPending"/>) the
/// claim of a request still running with that key.
/// </summary>
public sealed record StoredAnswer(string Key, string RequestHash, int Status, string ContentType, string Headers, byte[] Body, DateTimeOffset CreatedAt)
{
    /// <summary>The status of a claim that has no answer yet.</summary>
    public const int PendingStatus = 0;

    /// <summary>True for a claim whose request has not finished (or whose server stopped before it did).</summary>
    public bool IsPending => Status == PendingStatus;
}

/// <summary>
/// A request's claim on an <c>Idempotency-Key</c>, taken before any provider call: the key (already
/// scoped to the caller), what makes two requests the same, and when it was taken (which tells
/// this claim from a later one on the same key).
/// </summary>
public sealed record IdempotencyClaim(string Key, string RequestHash, DateTimeOffset ClaimedAt);

/// <summary>
/// Everything the server persists, behind one small interface so another store (PostgreSQL for
/// several instances) can replace SQLite without touching the endpoints.
/// </summary>
public interface ITrutoStore
{
    /// <summary>Creates tables and applies migrations; safe to call on every start.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One cheap read of the migrated schema (readiness, <c>/readyz</c>): throws when the database
    /// cannot be reached or is not the one migrated (a deleted SQLite file, a dropped database).
    /// </summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task AddTokenAsync(StoredToken token, CancellationToken cancellationToken);

    Task<StoredToken?> FindTokenByHashAsync(string hash, CancellationToken cancellationToken);

    /// <summary>Every token, revoked ones included, oldest first.</summary>
    Task<IReadOnlyList<StoredToken>> ListTokensAsync(CancellationToken cancellationToken);

    Task<bool> RevokeTokenAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    Task AddAccountAsync(StoredAccount account, CancellationToken cancellationToken);

    Task<StoredAccount?> FindAccountAsync(string id, CancellationToken cancellationToken);

    /// <summary>The accounts of <paramref name="environment"/> and <paramref name="tenantId"/> (null: any), oldest first.</summary>
    Task<IReadOnlyList<StoredAccount>> ListAccountsAsync(string? environment, string? tenantId, CancellationToken cancellationToken);

    /// <summary>Replaces an account's tenant, status (with its message and time) and context (its id, integration, environment and creation time stay); false when it no longer exists.</summary>
    Task<bool> UpdateAccountAsync(StoredAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the account and writes what <paramref name="change"/> makes of it in one transaction,
    /// so no other write lands in between (its tenant, status with message and time, and context
    /// change; id, integration, environment and creation time stay). <paramref name="change"/> may
    /// run more than once and returns null to leave the account as it is. Answers the account as
    /// stored afterwards, or null when it does not exist.
    /// </summary>
    Task<StoredAccount?> ChangeAccountAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken);

    Task<bool> DeleteAccountAsync(string id, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically takes <paramref name="claim"/> unless the key is held: returns null when the claim
    /// was taken (a pending row now holds the key), otherwise the row holding it — a finished answer
    /// created since <paramref name="answersSince"/> or a pending claim taken since
    /// <paramref name="claimsSince"/>. Older rows no longer hold the key (an expired answer, a claim
    /// left by a server that stopped) and are replaced. Two concurrent claims: exactly one is taken.
    /// </summary>
    Task<StoredAnswer?> ClaimAnswerAsync(IdempotencyClaim claim, DateTimeOffset answersSince, DateTimeOffset claimsSince, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces <paramref name="claim"/> with its finished <paramref name="answer"/> (stored as is when
    /// the claim has expired and no other holds the key) and clears rows created before
    /// <paramref name="expiredBefore"/>; false when another claim holds the key now.
    /// </summary>
    Task<bool> SaveAnswerAsync(IdempotencyClaim claim, StoredAnswer answer, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>Gives up <paramref name="claim"/> (its answer is not kept), so the key can be used again; a later claim on the key is left alone.</summary>
    Task ReleaseClaimAsync(IdempotencyClaim claim, CancellationToken cancellationToken);

    /// <summary>Stores a connect flow's state and clears states that expired before <paramref name="expiredBefore"/>.</summary>
    Task AddConnectStateAsync(ConnectState state, DateTimeOffset expiredBefore, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically removes and returns the state stored under <paramref name="hash"/>, expired or not
    /// (the caller tells an expired one apart); null when there is none or it was already taken.
    /// Two concurrent takes of one state: exactly one gets it.
    /// </summary>
    Task<ConnectState?> TakeConnectStateAsync(string hash, CancellationToken cancellationToken);
}
