namespace Truto.Mappings.Server.Storage;

/// <summary>What changed in the store, for the other instances' caches.</summary>
public enum StoreChangeKind
{
    /// <summary>One account was changed or deleted.</summary>
    Account,

    /// <summary>A token was revoked.</summary>
    Tokens,
}

/// <summary>
/// Tells other instances sharing the store that a cached thing changed, so they drop their copies
/// at once instead of at <see cref="CacheOptions.AccountTtl"/> (PostgreSQL: NOTIFY). SQLite serves
/// one instance and has none.
/// </summary>
public interface IStoreChangePublisher
{
    /// <summary>Announces the change; a failure is the caller's to log (the TTL still bounds it), never the change's.</summary>
    Task PublishAsync(StoreChangeKind kind, string? accountId, CancellationToken cancellationToken);
}
