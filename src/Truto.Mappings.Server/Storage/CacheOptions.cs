namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The <c>Cache</c> configuration section: how long an instance may answer from its in-process copy
/// of an account (decrypted) or of a token check before reading the store again.
/// </summary>
public sealed class CacheOptions
{
    /// <summary>
    /// <c>Cache:AccountTtl</c> (5 s): the longest a decrypted account is used from memory. Changes made
    /// through this process are seen at once; on PostgreSQL other instances are told at once
    /// (LISTEN/NOTIFY), and this is the bound when a notification is missed (and, on SQLite, for
    /// changes made by another process such as an admin command). Zero turns the cache off.
    /// </summary>
    public TimeSpan AccountTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Cache:TokenTtl</c> (5 s): the same bound for API token checks (a revoked token is refused within it). Zero turns the cache off.</summary>
    public TimeSpan TokenTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary><c>Cache:MaxAccounts</c> (10,000): the most accounts kept; past it, reads go to the store until entries expire.</summary>
    public int MaxAccounts { get; set; } = 10_000;

    /// <summary><c>Cache:MaxTokens</c> (10,000): the most token checks kept.</summary>
    public int MaxTokens { get; set; } = 10_000;
}
