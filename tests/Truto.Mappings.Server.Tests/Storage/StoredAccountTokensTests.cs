using System.Text.Json.Nodes;
using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Storage;

/// <summary>
/// Refreshed tokens against concurrent account updates, on a real SQLite file: a token save merges
/// only the token keys into the account as stored now (an operator's PATCH that landed during the
/// refresh is kept), newer tokens a PATCH wrote win over the refreshed ones, and a refusal of a
/// refresh token the account no longer holds marks nothing.
/// </summary>
public sealed class StoredAccountTokensTests : IAsyncLifetime
{
    private static readonly OAuth2Info Salesforce = new([], " ", [], false, OAuthClientAuthentication.Body, OAuthRequestEncoding.Form, [new OAuthTokenValue("instance_url", "instance_url")], []);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "truto-token-store", Guid.NewGuid().ToString("N"));
    private SqliteTrutoStore _store = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _store = new SqliteTrutoStore($"Data Source={Path.Combine(_directory, "store.db")};Pooling=False");
        await _store.MigrateAsync(CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_patch_that_landed_during_the_refresh_is_kept_and_the_new_tokens_are_merged_in()
    {
        var stale = Context("access-1", "refresh-1", ("instance_url", "https://old.my.salesforce.com"), ("login_server", "login"));
        await AddAsync(stale);
        // The operator's PATCH, while the token request was out: a changed key and a new one.
        await PatchAsync(c => { c["login_server"] = "test"; c["note"] = "patched"; });
        var refreshed = Context("access-2", "refresh-2", ("instance_url", "https://new.my.salesforce.com"), ("login_server", "login"));

        var used = await new StoredAccountTokens(_store).SaveTokensAsync("a1", new OAuthTokenUpdate(stale, refreshed, Salesforce), CancellationToken.None);

        var stored = await StoredContextAsync();
        Assert.Equal("access-2", stored.Find(OAuthContextKeys.AccessToken));
        Assert.Equal("refresh-2", stored.Find(OAuthContextKeys.RefreshToken));
        Assert.Equal("https://new.my.salesforce.com", stored.Find("instance_url"));
        Assert.Equal("test", stored.Find("login_server"));
        Assert.Equal("patched", stored.Find("note"));
        Assert.Equal(stored.Root.GetRawText(), used!.Root.GetRawText());
    }

    [Fact]
    public async Task Tokens_a_patch_replaced_during_the_refresh_win_and_are_the_ones_used()
    {
        var stale = Context("access-1", "refresh-1");
        await AddAsync(stale);
        await PatchAsync(c => c["oauth"]!["token"]!["refresh_token"] = "pasted-refresh");

        var used = await new StoredAccountTokens(_store).SaveTokensAsync("a1", new OAuthTokenUpdate(stale, Context("access-2", "refresh-2"), Salesforce), CancellationToken.None);

        var stored = await StoredContextAsync();
        Assert.Equal(("access-1", "pasted-refresh"), (stored.Find(OAuthContextKeys.AccessToken), stored.Find(OAuthContextKeys.RefreshToken)));
        Assert.Equal("pasted-refresh", used!.Find(OAuthContextKeys.RefreshToken));
    }

    [Fact]
    public async Task A_refusal_marks_the_account_only_while_it_still_holds_the_refused_refresh_token()
    {
        var stale = Context("access-1", "refresh-1");
        await AddAsync(stale);
        var tokens = new StoredAccountTokens(_store);
        await PatchAsync(c => c["oauth"]!["token"]!["refresh_token"] = "pasted-refresh");

        await tokens.MarkNeedsReauthAsync("a1", stale, "invalid_grant", DateTimeOffset.UtcNow, CancellationToken.None);
        var afterStaleRefusal = (await _store.FindAccountAsync("a1", CancellationToken.None))!.Status;
        await tokens.MarkNeedsReauthAsync("a1", await StoredContextAsync(), "invalid_grant", DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(StoredAccount.ActiveStatus, afterStaleRefusal);
        Assert.Equal(StoredAccount.NeedsReauthStatus, (await _store.FindAccountAsync("a1", CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Without_the_account_nothing_is_saved_and_the_refreshed_context_is_not_claimed_stored()
    {
        var stale = Context("access-1", "refresh-1");

        var used = await new StoredAccountTokens(_store).SaveTokensAsync("gone", new OAuthTokenUpdate(stale, Context("access-2", "refresh-2"), Salesforce), CancellationToken.None);

        Assert.Null(used);
        Assert.Null(await _store.FindAccountAsync("gone", CancellationToken.None));
    }

    private static AccountContext Context(string access, string refresh, params (string Key, string Value)[] more)
    {
        var root = new JsonObject { ["oauth"] = new JsonObject { ["token"] = new JsonObject { ["access_token"] = access, ["refresh_token"] = refresh } } };
        foreach (var (key, value) in more)
        {
            root[key] = value;
        }
        return AccountContext.Parse(root.ToJsonString());
    }

    private Task AddAsync(AccountContext context)
        => _store.AddAccountAsync(new StoredAccount("a1", "salesforce", null, StoredAccount.ActiveStatus, context.Root.GetRawText(), DateTimeOffset.UtcNow), CancellationToken.None);

    private async Task PatchAsync(Action<JsonObject> patch)
    {
        var account = (await _store.FindAccountAsync("a1", CancellationToken.None))!;
        var context = JsonNode.Parse(account.Context)!.AsObject();
        patch(context);
        await _store.UpdateAccountAsync(account with { Context = context.ToJsonString() }, CancellationToken.None);
    }

    private async Task<AccountContext> StoredContextAsync() => AccountContext.Parse((await _store.FindAccountAsync("a1", CancellationToken.None))!.Context);
}
