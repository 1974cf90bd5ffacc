using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Asterisk.Tests.Ari;

/// <summary>
/// An <see cref="IAriEventHandler"/> that writes down what it is given, in one timeline, and lets
/// a test wait for a condition on it instead of sleeping.
/// </summary>
internal sealed class RecordingAriEventHandler : IAriEventHandler
{
    /// <summary>The timeline entry for an <see cref="OnConnectedAsync"/> call.</summary>
    public const string Connected = "(connected)";

    private readonly Lock _lock = new();
    private readonly List<AriEvent> _events = [];
    private readonly List<string> _timeline = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _onConnectedCalls;

    /// <summary>Runs inside <see cref="OnConnectedAsync"/> with the call's number (1, 2, …), e.g. a resync, or a failure.</summary>
    public Func<int, CancellationToken, ValueTask>? OnConnected { get; init; }

    /// <summary>Runs inside <see cref="OnEventAsync"/> before the event is recorded.</summary>
    public Func<AriEvent, ValueTask>? OnEvent { get; init; }

    public int Connections { get { lock (_lock) { return _timeline.Count(t => t == Connected); } } }

    public IReadOnlyList<AriEvent> Events { get { lock (_lock) { return [.. _events]; } } }

    /// <summary><see cref="Connected"/> and event types, in the order the stream delivered them.</summary>
    public IReadOnlyList<string> Timeline { get { lock (_lock) { return [.. _timeline]; } } }

    public async ValueTask OnConnectedAsync(CancellationToken cancellationToken)
    {
        var connection = Interlocked.Increment(ref _onConnectedCalls);
        if (OnConnected is { } onConnected)
        {
            await onConnected(connection, cancellationToken);
        }
        Record(Connected, evt: null);
    }

    public async ValueTask OnEventAsync(AriEvent evt, CancellationToken cancellationToken)
    {
        if (OnEvent is { } onEvent)
        {
            await onEvent(evt);
        }
        Record(evt.Type, evt);
    }

    public async Task WaitUntilAsync(Func<RecordingAriEventHandler, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }
            if (condition(this))
            {
                return;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Condition not met; timeline so far: {string.Join(", ", Timeline)}");
            }
            try
            {
                await changed.WaitAsync(left);
            }
            catch (TimeoutException)
            {
                // Checked once more above, then reported with the timeline.
            }
        }
    }

    private void Record(string entry, AriEvent? evt)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _timeline.Add(entry);
            if (evt is not null)
            {
                _events.Add(evt);
            }
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        changed.TrySetResult();
    }
}
