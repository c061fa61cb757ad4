using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Truto.Mappings.Server.Storage;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>
/// The server's real store with one pause: the first <see cref="ITrutoStore.ChangeAccountAsync"/>
/// waits, before it reaches the store, until <see cref="Release"/>; <see cref="Paused"/> completes
/// once it waits. Every other call goes straight through, so a test can run a second write whole
/// between the first one's read and its write — a race, made deterministic.
/// </summary>
/// <remarks>A <see cref="DispatchProxy"/> (which cannot be sealed), so the store's many members need no forwarding by hand.</remarks>
#pragma warning disable CA1852 // DispatchProxy derives a type from this one.
internal class PausingStore : DispatchProxy
#pragma warning restore CA1852
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITrutoStore _inner = null!;
    private int _changes;

    /// <summary>Completes when the first account change is waiting for <see cref="Release"/>.</summary>
    public Task Paused => _paused.Task;

    /// <summary>Lets the waiting change reach the store.</summary>
    public void Release() => _release.TrySetResult();

    /// <summary>Replaces the server's <see cref="ITrutoStore"/> with this proxy over it; <paramref name="created"/> receives the instance.</summary>
    public static void Install(WebApplicationBuilder builder, Action<PausingStore> created)
    {
        var original = builder.Services.Last(d => d.ServiceType == typeof(ITrutoStore));
        builder.Services.AddSingleton(sp =>
        {
            var store = DispatchProxy.Create<ITrutoStore, PausingStore>();
            var pausing = (PausingStore)(object)store;
            pausing._inner = (ITrutoStore)original.ImplementationFactory!(sp);
            created(pausing);
            return store;
        });
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ITrutoStore.ChangeAccountAsync) && Interlocked.Increment(ref _changes) == 1)
        {
            return ChangeOnceReleasedAsync((string)args![0]!, (Func<StoredAccount, StoredAccount?>)args[1]!, (CancellationToken)args[2]!);
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    private async Task<StoredAccount?> ChangeOnceReleasedAsync(string id, Func<StoredAccount, StoredAccount?> change, CancellationToken cancellationToken)
    {
        _paused.TrySetResult();
        await _release.Task.WaitAsync(cancellationToken);
        return await _inner.ChangeAccountAsync(id, change, cancellationToken);
    }
}
