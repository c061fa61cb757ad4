using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Truto.Mappings.Server.Storage;

/// <summary>
/// The in-process copies of accounts (decrypted) and token checks that spare every request a store
/// read, a Data Protection unprotect and a parse. Bounded (<see cref="CacheOptions.MaxAccounts"/>,
/// <see cref="CacheOptions.MaxTokens"/>: MemoryCache's size limit refuses entries past it) and
/// expiring (<see cref="CacheOptions.AccountTtl"/>, <see cref="CacheOptions.TokenTtl"/>).
/// </summary>
/// <remarks>
/// A read that raced a change must not put back what the change replaced: every forget bumps a
/// generation, a read notes it before asking the store, and its answer is kept only when no forget
/// came in between (checked again after the entry is added, since a forget may land between the
/// check and the add).
/// </remarks>
public sealed class StoreCache : IDisposable
{
    private readonly CacheOptions _options;
    private readonly MemoryCache _accounts;
    private readonly MemoryCache _tokens;
    private long _generation;

    public StoreCache(IOptions<CacheOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _accounts = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.MaxAccounts) });
        _tokens = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, _options.MaxTokens) });
    }

    /// <summary>How many accounts are kept now.</summary>
    public int AccountCount => _accounts.Count;

    /// <summary>How many token checks are kept now.</summary>
    public int TokenCount => _tokens.Count;

    /// <summary>Noted before a store read; hand it to <see cref="KeepAccount"/> or <see cref="KeepToken"/> with the answer.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>True (with the account) when a copy is kept.</summary>
    public bool TryGetAccount(string id, out StoredAccount? account)
        => _accounts.TryGetValue(id, out account);

    /// <summary>True (with the token) when a check of the token with this hash is kept.</summary>
    public bool TryGetToken(string hash, out StoredToken? token)
        => _tokens.TryGetValue(hash, out token);

    /// <summary>Keeps <paramref name="account"/>, read from the store at <paramref name="generation"/>, unless something was forgotten since.</summary>
    public void KeepAccount(StoredAccount account, long generation)
    {
        ArgumentNullException.ThrowIfNull(account);
        Keep(_accounts, account.Id, account, _options.AccountTtl, generation);
    }

    /// <summary>Keeps <paramref name="token"/>, read from the store at <paramref name="generation"/>, unless something was forgotten since.</summary>
    public void KeepToken(StoredToken token, long generation)
    {
        ArgumentNullException.ThrowIfNull(token);
        Keep(_tokens, token.Hash, token, _options.TokenTtl, generation);
    }

    /// <summary>Drops the copy of one account (changed or deleted, here or on another instance).</summary>
    public void ForgetAccount(string id)
    {
        Interlocked.Increment(ref _generation);
        _accounts.Remove(id);
    }

    /// <summary>Drops every token check (a token was revoked; revocations are rare, so no index by id).</summary>
    public void ForgetTokens()
    {
        Interlocked.Increment(ref _generation);
        _tokens.Clear();
    }

    /// <summary>Drops everything: changes may have been missed (the notification connection was lost).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        _accounts.Clear();
        _tokens.Clear();
    }

    public void Dispose()
    {
        _accounts.Dispose();
        _tokens.Dispose();
    }

    private void Keep<T>(MemoryCache cache, string key, T value, TimeSpan ttl, long generation)
    {
        if (ttl <= TimeSpan.Zero || Generation != generation)
        {
            return;
        }
        cache.Set(key, value, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = ttl });
        if (Generation != generation)
        {
            cache.Remove(key);
        }
    }
}
