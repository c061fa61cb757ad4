namespace Truto.Mappings.Server.Jobs;

/// <summary>Wakes this instance's idle workers when a job is created here, so it starts without waiting for <see cref="JobOptions.PollInterval"/>.</summary>
public sealed class JobWakeup
{
    private TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes every waiting worker.</summary>
    public void Notify() => Interlocked.Exchange(ref _signal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    /// <summary>Waits for <see cref="Notify"/> or <paramref name="interval"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _signal).Task;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, time, timeout.Token);
        await Task.WhenAny(signal, delay);
        await timeout.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
