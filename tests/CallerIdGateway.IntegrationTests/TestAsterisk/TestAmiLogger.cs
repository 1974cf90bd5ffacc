using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>One captured log line: the formatted message plus the exception's text, as a sink would write it.</summary>
public sealed record TestAmiLogEntry(LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public string FullText => Exception is null ? Message : Message + Environment.NewLine + Exception;

    public override string ToString() => $"{Level}: {FullText}";
}

/// <summary>Keeps every log line for assertions (and echoes it to the test output when given one).</summary>
public sealed class TestAmiLogger<T>(ITestOutputHelper? output = null) : ILogger<T>
{
    private readonly ConcurrentQueue<TestAmiLogEntry> _entries = new();

    public IReadOnlyList<TestAmiLogEntry> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var entry = new TestAmiLogEntry(logLevel, eventId, formatter(state, exception), exception);
        _entries.Enqueue(entry);
        try
        {
            output?.WriteLine(entry.ToString());
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
