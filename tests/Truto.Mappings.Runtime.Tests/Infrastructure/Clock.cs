using Microsoft.Extensions.Time.Testing;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>Moves a fake clock on until a task is done: deadlines pass without waiting, whenever the code under test starts measuring.</summary>
internal static class Clock
{
    public static async Task<T> AdvanceUntilDoneAsync<T>(FakeTimeProvider time, Task<T> task, TimeSpan step)
    {
        while (!task.IsCompleted)
        {
            time.Advance(step);
            // A real pause, short, only to let the code under test reach its next wait.
            await Task.WhenAny(task, Task.Delay(10));
        }
        return await task;
    }
}
