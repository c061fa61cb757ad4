using Microsoft.Extensions.Logging;
using Truto.Mappings.Client;
using Truto.Mappings.Server.Http;

namespace Truto.Mappings.Server.Tests;

/// <summary>Long batches log their progress each tenth of the way; short ones stay quiet.</summary>
public sealed class BatchProgressLogTests
{
    [Fact]
    public void A_long_batch_logs_each_tenth_once()
    {
        var logger = new ListLogger();
        var progress = new BatchProgressLog(logger, "hubspot", "req-1");

        for (var done = 1; done <= 100; done++)
        {
            progress.Report(new BatchProgress(done, 100, done * 100, 0));
        }

        Assert.Equal(10, logger.Lines.Count);
        Assert.Equal("batch-delete hubspot: 100/100 provider calls, 10000 deleted, 0 failed, request=req-1", logger.Lines[^1]);
    }

    [Fact]
    public void A_batch_of_one_or_two_calls_logs_nothing()
    {
        var logger = new ListLogger();
        var progress = new BatchProgressLog(logger, "salesforce", "req-2");

        progress.Report(new BatchProgress(1, 2, 200, 0));
        progress.Report(new BatchProgress(2, 2, 399, 1));

        Assert.Empty(logger.Lines);
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Add(formatter(state, exception));
    }
}
