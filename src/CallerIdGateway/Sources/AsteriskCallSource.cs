using CallerIdGateway.Asterisk;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

/// <summary>
/// What the ARI and AMI sources share: off unless enabled, one long-lived connection run until the host
/// stops, a resync posted after every (re)connect, and each event's facts posted to the tracker in order.
/// A subclass creates its connection and maps its protocol.
/// </summary>
public abstract class AsteriskCallSource<TConnection>(CallSource source, CallTrackerService tracker, TimeProvider time) : BackgroundService
    where TConnection : AsteriskConnection
{
    private readonly List<CallFact> _pending = [];

    public abstract bool Enabled { get; }

    /// <summary>The connection's state, for health checks and metrics; null when the source is off or not started yet.</summary>
    public TConnection? Connection { get; private set; }

    /// <summary>Where it connects, for health reports: never a password.</summary>
    public abstract string Target { get; }

    protected TimeProvider Time => time;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        Connection = CreateConnection();
        await Connection.RunAsync(stoppingToken);
    }

    /// <summary>The client, with this source as its event handler.</summary>
    protected abstract TConnection CreateConnection();

    /// <summary>Replaces what the tracker knows of this source's legs with a snapshot.</summary>
    protected void PostResync(IReadOnlyList<LegSnapshot> legs) => tracker.Post(new SourceResynced(time.GetUtcNow(), source, legs));

    /// <summary>Posts the facts <paramref name="map"/> makes of one event, in order.</summary>
    protected void PostFacts<TEvent>(TEvent evt, Action<TEvent, DateTimeOffset, List<CallFact>> map)
    {
        _pending.Clear();
        map(evt, time.GetUtcNow(), _pending);
        foreach (var fact in _pending)
        {
            tracker.Post(fact);
        }
    }
}
