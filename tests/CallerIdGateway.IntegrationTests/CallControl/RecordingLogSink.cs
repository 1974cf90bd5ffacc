using Serilog.Core;
using Serilog.Events;

namespace CallerIdGateway.IntegrationTests.CallControl;

/// <summary>Keeps the gateway's rendered log lines (Serilog reads sinks registered as services).</summary>
public sealed class RecordingLogSink : ILogEventSink
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines { get { lock (_lines) { return [.. _lines]; } } }

    public void Emit(LogEvent logEvent)
    {
        lock (_lines)
        {
            _lines.Add(logEvent.RenderMessage());
        }
    }
}
