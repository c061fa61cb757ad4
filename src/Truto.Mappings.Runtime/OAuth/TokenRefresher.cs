using Truto.Mappings.Accounts;
using Truto.Mappings.Adapters;
using Truto.Mappings.Errors;

namespace Truto.Mappings.OAuth;

/// <summary>
/// Refreshes accounts' access tokens, one token request per account at a time (single flight, per
/// process): calls that find the same stale access token join the refresh under way, or take its
/// result once done, instead of sending the (possibly rotated, so now invalid) refresh token again.
/// The new tokens are merged into the account in the <see cref="IAccountTokenStore"/>, when there is
/// one, before anyone uses them; a refused grant marks the account <c>needs_reauth</c> there.
/// With an <see cref="IAccountRefreshLock"/> the token request runs under the account's cross-process lock,
/// and tokens another process stored meanwhile are used instead of a new request.
/// </summary>
internal sealed class TokenRefresher(OAuthTokenClient client, IAccountTokenStore? store, TrutoMappingsOptions options, TimeProvider time, IAccountRefreshLock? refreshLock = null)
{
    private readonly Dictionary<string, Flight> _flights = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _lastSweep = time.GetTimestamp();

    /// <summary>The accounts whose last token request is still kept (running, or answering late joiners).</summary>
    internal int FlightCount
    {
        get
        {
            lock (_gate)
            {
                return _flights.Count;
            }
        }
    }

    /// <summary>True when the account can be refreshed: its provider declares OAuth and its context has a refresh token.</summary>
    public static bool CanRefresh(ProviderAdapter adapter, AccountContext context)
        => adapter.Info.OAuth2 is not null && context.Find(OAuthContextKeys.RefreshToken) is not null;

    /// <summary>True when the access token expires within <see cref="TrutoMappingsOptions.OAuthRefreshSkew"/> (a token without an expiry is used until a 401).</summary>
    public bool IsExpiring(AccountContext context)
        => OAuthContextWriter.ExpiresAt(context) is { } at && at - time.GetUtcNow() <= options.OAuthRefreshSkew;

    /// <summary>
    /// The account's context with fresh tokens, replacing <paramref name="stale"/> (the context whose
    /// access token expired); waits at most until <paramref name="cancellationToken"/> fires, while the
    /// token request itself runs to its own end for the other waiters.
    /// </summary>
    public Task<OAuthTokenOutcome> RefreshAsync(string accountId, ProviderAdapter adapter, AccountContext stale, CancellationToken cancellationToken)
    {
        // Both tokens: a context updated with a new refresh token (PATCH, reconnect) is a new flight
        // even when its access token is the old one, and is not answered by an earlier refusal.
        var staleToken = (stale.Find(OAuthContextKeys.AccessToken) ?? "") + "\n" + (stale.Find(OAuthContextKeys.RefreshToken) ?? "");
        Flight flight;
        lock (_gate)
        {
            SweepFinished();
            // The same stale tokens: join the flight, running or done (unless it failed for a reason a new try could fix).
            if (!_flights.TryGetValue(accountId, out var current) || current.StaleTokens != staleToken || current.FailedTransiently)
            {
                current = new Flight(staleToken, RunAsync(accountId, adapter, stale), time.GetTimestamp());
                _flights[accountId] = current;
            }
            flight = current;
        }
        return flight.Outcome.WaitAsync(cancellationToken);
    }

    private async Task<OAuthTokenOutcome> RunAsync(string accountId, ProviderAdapter adapter, AccountContext stale)
    {
        var outcome = await RunOnceAsync(accountId, adapter, stale).ConfigureAwait(false);
        // Once per flight, not per waiting call: the metric counts token requests (or their reuse).
        Telemetry.RuntimeMetrics.TokenRefresh(adapter.Info.Name, outcome.Context is not null ? "issued" : outcome.Rejected ? "refused" : "failed");
        return outcome;
    }

    private async Task<OAuthTokenOutcome> RunOnceAsync(string accountId, ProviderAdapter adapter, AccountContext stale)
    {
        // Not the first caller's token: the others wait on this request too. The call deadline bounds it
        // (the wait for another process's refresh included).
        using var limit = new CancellationTokenSource(options.CallDeadline, time);
        IAccountRefreshLease? lease = null;
        if (refreshLock is not null)
        {
            try
            {
                lease = await refreshLock.AcquireAsync(accountId, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                return OAuthTokenOutcome.Failed(new TrutoError(504, $"Refreshing the {adapter.Info.DisplayName} access token did not finish within {Http.Deadline.Format(options.CallDeadline)} (Runtime:CallDeadline): another instance held the account's refresh that long."));
            }
#pragma warning disable CA1031 // A lock failure must become this call's answer, not an unobserved task's exception.
            catch (Exception e)
#pragma warning restore CA1031
            {
                return OAuthTokenOutcome.Failed(new TrutoError(503, $"The {adapter.Info.DisplayName} access token could not be refreshed: the account's refresh lock could not be taken ({e.GetType().Name}); try again."));
            }
        }
        try
        {
            var basis = stale;
            if (lease?.StoredContext is { } stored)
            {
                if (RefreshedElsewhere(stored, stale))
                {
                    // Another process refreshed (and stored) while this one waited: its tokens, no new request.
                    return OAuthTokenOutcome.Issued(stored);
                }
                // The stored context is the newest (a rotated refresh token, a reconnect): refresh from it.
                basis = stored;
            }
            return await RefreshAndSaveAsync(accountId, adapter, basis, limit).ConfigureAwait(false);
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the lock back. A release that fails (its connection broke) is not this call's failure:
    /// the tokens are stored already, and a lock whose session ends is released by the database.
    /// </summary>
    private static async Task ReleaseAsync(IAccountRefreshLease? lease)
    {
        if (lease is null)
        {
            return;
        }
        try
        {
            await lease.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // See the summary: nothing to do about it but go on.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<OAuthTokenOutcome> RefreshAndSaveAsync(string accountId, ProviderAdapter adapter, AccountContext basis, CancellationTokenSource limit)
    {
        try
        {
            var outcome = await client.RefreshAsync(adapter, basis, limit.Token).ConfigureAwait(false);
            if (store is null)
            {
                return outcome;
            }
            if (outcome.Context is { } fresh)
            {
                // Persist before use: a crash after this loses nothing, a crash before it used nothing.
                // Merged into the stored context as it is now; the context to call with is what the
                // store holds afterwards (newer tokens a PATCH wrote meanwhile win over these).
                var stored = await store.SaveTokensAsync(accountId, new OAuthTokenUpdate(basis, fresh, adapter.Info.OAuth2!), limit.Token).ConfigureAwait(false);
                return stored is null ? outcome : OAuthTokenOutcome.Issued(stored);
            }
            if (outcome.Rejected)
            {
                await store.MarkNeedsReauthAsync(accountId, basis, outcome.ProviderReason ?? outcome.Error!.Message, time.GetUtcNow(), limit.Token).ConfigureAwait(false);
            }
            return outcome;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return OAuthTokenOutcome.Failed(new TrutoError(504, $"Refreshing the {adapter.Info.DisplayName} access token did not finish within {Http.Deadline.Format(options.CallDeadline)} (Runtime:CallDeadline)."));
        }
#pragma warning disable CA1031 // A store failure must become this call's answer, not an unobserved task's exception.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return OAuthTokenOutcome.Failed(new TrutoError(503, $"The refreshed {adapter.Info.DisplayName} tokens could not be saved ({e.GetType().Name}), so they were not used; try again."));
        }
    }

    /// <summary>
    /// True when the stored context holds another access token than the stale one and it is not
    /// about to expire: another process refreshed it, so asking the provider again would only spend
    /// (and, where refresh tokens rotate, invalidate) what that process stored.
    /// </summary>
    private bool RefreshedElsewhere(AccountContext stored, AccountContext stale)
        => stored.Find(OAuthContextKeys.AccessToken) is { } access
            && !string.Equals(access, stale.Find(OAuthContextKeys.AccessToken), StringComparison.Ordinal)
            && !IsExpiring(stored);

    /// <summary>
    /// Forgets finished token requests no call can still join: a request runs at most
    /// <see cref="TrutoMappingsOptions.CallDeadline"/>, and a call holding the tokens it replaced
    /// ends within one more, so after twice that the entry (and the stale tokens in it) only costs
    /// memory. Swept at most once per call deadline, under the gate.
    /// </summary>
    private void SweepFinished()
    {
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(_lastSweep, now) < options.CallDeadline)
        {
            return;
        }
        _lastSweep = now;
        var keep = options.CallDeadline * 2;
        foreach (var (accountId, flight) in _flights)
        {
            if (flight.Outcome.IsCompleted && time.GetElapsedTime(flight.StartedAt, now) > keep)
            {
                _flights.Remove(accountId);
            }
        }
    }

    /// <summary>One token request, the stale tokens it replaces and when it started (a <see cref="TimeProvider"/> timestamp).</summary>
    private sealed record Flight(string StaleTokens, Task<OAuthTokenOutcome> Outcome, long StartedAt)
    {
        public bool FailedTransiently => Outcome.IsCompleted && Outcome.Result is { Context: null, Rejected: false };
    }
}
