using System.Collections.Concurrent;
using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>Records what an <see cref="AmiConnection"/> hands its consumer, in order.</summary>
public sealed class TestAmiHandler : IAmiEventHandler
{
    private readonly ConcurrentQueue<AmiMessage> _events = new();
    private readonly ConcurrentQueue<string> _timeline = new();
    private int _connectedCount;

    /// <summary>Runs inside OnConnectedAsync, like the gateway's resync.</summary>
    public Func<AmiConnection, CancellationToken, Task>? OnConnected { get; set; }

    public int ConnectedCount => Volatile.Read(ref _connectedCount);

    public IReadOnlyList<AmiMessage> Events => _events.ToArray();

    /// <summary>"connected", "resynced" and one "event:Name" per event, in call order.</summary>
    public IReadOnlyList<string> Timeline => _timeline.ToArray();

    public async ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken)
    {
        _timeline.Enqueue("connected");
        Interlocked.Increment(ref _connectedCount);
        if (OnConnected is { } resync)
        {
            await resync(connection, cancellationToken);
        }
        _timeline.Enqueue("resynced");
    }

    public ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken)
    {
        _events.Enqueue(message);
        _timeline.Enqueue("event:" + message.EventName);
        return ValueTask.CompletedTask;
    }
}
