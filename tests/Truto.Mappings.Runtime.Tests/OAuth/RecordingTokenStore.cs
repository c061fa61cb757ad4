using System.Collections.Concurrent;
using Truto.Mappings.Accounts;
using Truto.Mappings.OAuth;
using Truto.Mappings.Testing;

namespace Truto.Mappings.Runtime.Tests.OAuth;

/// <summary>An <see cref="IAccountTokenStore"/> that records what it was told and how many provider calls had been made by then.</summary>
internal sealed class RecordingTokenStore(OAuthLoopbackServer server) : IAccountTokenStore
{
    private readonly ConcurrentQueue<(string Account, AccountContext Context, int CallsBefore)> _saved = new();
    private readonly ConcurrentQueue<(string Account, string Message)> _marked = new();

    public IReadOnlyList<(string Account, AccountContext Context, int CallsBefore)> Saved => [.. _saved];

    public IReadOnlyList<(string Account, string Message)> Marked => [.. _marked];

    public Task<AccountContext?> SaveTokensAsync(string accountId, OAuthTokenUpdate update, CancellationToken cancellationToken)
    {
        _saved.Enqueue((accountId, update.Refreshed, server.Calls.Count));
        return Task.FromResult<AccountContext?>(update.Refreshed);
    }

    public Task MarkNeedsReauthAsync(string accountId, AccountContext refused, string message, DateTimeOffset at, CancellationToken cancellationToken)
    {
        _marked.Enqueue((accountId, message));
        return Task.CompletedTask;
    }
}
