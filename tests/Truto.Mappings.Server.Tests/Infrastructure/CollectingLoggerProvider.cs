using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Truto.Mappings.Server.Tests.Infrastructure;

/// <summary>Keeps every log message (level and text) so a test can assert what the server logged.</summary>
internal sealed class CollectingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Message)> _messages = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Message)> Messages => [.. _messages];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CollectingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => provider._messages.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
