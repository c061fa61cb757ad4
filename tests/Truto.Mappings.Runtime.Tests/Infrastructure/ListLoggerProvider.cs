using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Truto.Mappings.Runtime.Tests.Infrastructure;

/// <summary>Collects formatted log lines, so a test can see what the runtime logged (retries, failures).</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>Every line with its category and level.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = formatter(state, exception);
            entries.Enqueue(new LogEntry(category, logLevel, line));
            lines.Enqueue(line);
        }
    }
}

/// <summary>One log line with its category and level.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, string Line);
