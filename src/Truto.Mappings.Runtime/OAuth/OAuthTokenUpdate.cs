using System.Text.Json;
using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Tokens one refresh obtained, for an <see cref="IAccountTokenStore"/> to merge into the account's
/// context as it is stored NOW rather than to replace it: only the values a token answer writes
/// (<see cref="Keys"/>: the <c>oauth.token.*</c> keys and the provider's token values such as
/// <c>instance_url</c>) change, so a key an operator PATCHed meanwhile stays. When the stored tokens
/// are no longer the ones the refresh started from (a PATCH or a reconnect replaced them), those
/// newer tokens win and the update does not apply.
/// </summary>
public sealed class OAuthTokenUpdate
{
    private static readonly string[] StandardKeys =
        [OAuthContextKeys.AccessToken, OAuthContextKeys.RefreshToken, OAuthContextKeys.ExpiresAt, OAuthContextKeys.TokenType, OAuthContextKeys.Scope];

    private readonly AccountContext _stale;

    /// <summary>The update from <paramref name="stale"/> (the context the refresh started from) to <paramref name="refreshed"/>, for a provider declaring <paramref name="info"/>.</summary>
    public OAuthTokenUpdate(AccountContext stale, AccountContext refreshed, OAuth2Info info)
    {
        ArgumentNullException.ThrowIfNull(stale);
        ArgumentNullException.ThrowIfNull(refreshed);
        ArgumentNullException.ThrowIfNull(info);
        _stale = stale;
        Refreshed = refreshed;
        Keys = [.. StandardKeys, .. info.TokenValues.Select(v => v.ContextKey).Where(k => !StandardKeys.Contains(k, StringComparer.Ordinal))];
    }

    /// <summary>The whole context the refresh built (the stale one with the new tokens written in).</summary>
    public AccountContext Refreshed { get; }

    /// <summary>The context keys a token answer writes; only these change.</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>True when <paramref name="current"/> still holds the access and refresh token the refresh replaced.</summary>
    public bool AppliesTo(AccountContext current)
    {
        ArgumentNullException.ThrowIfNull(current);
        return current.Find(OAuthContextKeys.AccessToken) == _stale.Find(OAuthContextKeys.AccessToken)
            && current.Find(OAuthContextKeys.RefreshToken) == _stale.Find(OAuthContextKeys.RefreshToken);
    }

    /// <summary><paramref name="current"/> with each of <see cref="Keys"/> set as <see cref="Refreshed"/> has it (removed where it has none); every other key as it is.</summary>
    public AccountContext MergeInto(AccountContext current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var root = JsonNode.Parse(current.Root.GetRawText())!.AsObject();
        foreach (var key in Keys)
        {
            if (Refreshed.Find(key) is { } value)
            {
                OAuthContextWriter.Set(root, key, value);
            }
            else
            {
                OAuthContextWriter.Remove(root, key);
            }
        }
        return new AccountContext(JsonSerializer.SerializeToElement(root));
    }
}
