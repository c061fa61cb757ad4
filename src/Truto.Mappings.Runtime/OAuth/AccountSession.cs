using System.Text.Json;
using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Client;
using Truto.Mappings.Errors;
using Truto.Mappings.Http;

namespace Truto.Mappings.OAuth;

/// <summary>
/// One unified call's view of its account: the context its provider calls are built from, kept
/// fresh. Before the first call an access token about to expire is refreshed (proactive); a call
/// answered 401, or with an error code the provider's <c>oauth2</c> block declares as "token
/// expired", is refreshed once and sent once more with the new token (reactive). A second 401 is
/// the provider's answer. Accounts without a refresh token, or of providers without OAuth, are
/// sent as they are.
/// </summary>
internal sealed class AccountSession(IntegratedAccount account, ProviderAdapter adapter, TokenRefresher refresher)
{
    private readonly Lock _gate = new();
    private IntegratedAccount _account = account;

    /// <summary>The account with its newest context.</summary>
    public IntegratedAccount Account
    {
        get
        {
            lock (_gate)
            {
                return _account;
            }
        }
    }

    /// <summary>The context with refreshed tokens, when this call refreshed them (null otherwise).</summary>
    public AccountContext? Refreshed { get; private set; }

    /// <summary>Refreshes an access token that expires within the skew; the error when that failed (a refused grant is a 401).</summary>
    public async Task<TrutoError?> PrepareAsync(Deadline deadline)
    {
        var context = Account.Context;
        if (!TokenRefresher.CanRefresh(adapter, context) || !refresher.IsExpiring(context))
        {
            return null;
        }
        var (fresh, error) = await RefreshAsync(context, deadline).ConfigureAwait(false);
        return fresh is null ? error : null;
    }

    /// <summary>
    /// Builds the call from the newest context and sends it; on an expired-token answer refreshes
    /// once and sends the rebuilt call once more. A build refusal or a failed refresh is a failed response.
    /// </summary>
    public async Task<ProviderResponse> SendAsync(ProviderTransport transport, Func<IntegratedAccount, (ProviderCall? Call, TrutoError? Error)> build, bool stream, Deadline deadline)
    {
        var used = Account;
        var (call, refused) = build(used);
        if (call is null)
        {
            return ProviderResponse.Failed(refused!);
        }
        var response = await transport.SendAsync(call, stream, deadline).ConfigureAwait(false);
        if (!TokenRefresher.CanRefresh(adapter, used.Context) || !IsExpiredAnswer(response))
        {
            return response;
        }
        response.Dispose();
        var (fresh, error) = await RefreshAsync(used.Context, deadline).ConfigureAwait(false);
        if (fresh is null)
        {
            return ProviderResponse.Failed(error!);
        }
        var (again, rebuildRefused) = build(used with { Context = fresh });
        return again is null ? ProviderResponse.Failed(rebuildRefused!) : await transport.SendAsync(again, stream, deadline).ConfigureAwait(false);
    }

    private async Task<(AccountContext? Context, TrutoError? Error)> RefreshAsync(AccountContext stale, Deadline deadline)
    {
        OAuthTokenOutcome outcome;
        try
        {
            outcome = await refresher.RefreshAsync(Account.Id, adapter, stale, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.HasPassed)
        {
            return (null, new TrutoError(504, $"Refreshing the {adapter.Info.DisplayName} access token did not finish within {deadline.Describe()}."));
        }
        if (outcome.Context is not { } fresh)
        {
            return (null, outcome.Error);
        }
        lock (_gate)
        {
            // Concurrent calls of a batch may each have refreshed from the same stale token: one context wins.
            if (_account.Context.Find(OAuthContextKeys.AccessToken) == stale.Find(OAuthContextKeys.AccessToken))
            {
                _account = _account with { Context = fresh };
                Refreshed = fresh;
            }
        }
        return (fresh, null);
    }

    /// <summary>401, or an answer whose error code the provider declares as "token expired" (Salesforce's INVALID_SESSION_ID, monday's in-body 401s).</summary>
    private bool IsExpiredAnswer(ProviderResponse response)
    {
        if (response.TransportError is not null)
        {
            return false;
        }
        if (response.Status == 401)
        {
            return true;
        }
        if (adapter.Info.OAuth2 is not { ExpiredTokenCodes.Count: > 0 } info || response.Body.IsEmpty)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(response.Body);
            return adapter.ReadErrorCode(document.RootElement) is { } code && info.ExpiredTokenCodes.Contains(code, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
