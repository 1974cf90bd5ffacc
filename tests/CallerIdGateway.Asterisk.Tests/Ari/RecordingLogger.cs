using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CallerIdGateway.Asterisk.Tests.Ari;

/// <summary>
/// Keeps every log line, so tests can check what an operator would read (and that nothing
/// repeats), and echoes it to the test's output for when a test fails.
/// </summary>
internal sealed class RecordingLogger<T>(ITestOutputHelper? output = null) : ILogger<T>
{
    private readonly Lock _lock = new();
    private readonly List<(LogLevel Level, string Message)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries { get { lock (_lock) { return [.. _entries]; } } }

    public IReadOnlyList<string> At(LogLevel level) => [.. Entries.Where(e => e.Level == level).Select(e => e.Message)];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        lock (_lock)
        {
            _entries.Add((logLevel, message));
        }
        output?.WriteLine($"{logLevel}: {message}{(exception is null ? "" : " | " + exception.Message)}");
    }
}
