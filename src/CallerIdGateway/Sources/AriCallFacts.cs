using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

/// <summary>
/// Turns ARI events into call facts. ARI channels carry no linkedid, so the caller of a leg is found
/// by following <c>Dial</c> events (peer → caller) and Local channel halves (<c>;2</c> → <c>;1</c>) up
/// to the channel that started it all; its id is the call id (equal to AMI's Linkedid) and its
/// caller ID is the caller. Pure and single-threaded; fed in event order.
/// </summary>
/// <remarks>What the captures show (tests/fixtures/asterisk): the phone leg's own <c>caller</c> is the
/// agent (1008); the external number is the Dial caller's <c>caller.number</c> (and the leg's
/// <c>connected.number</c>, empty on a queue's first Dial); busy legs never reach Ringing; Ringing may
/// arrive before Dial RINGING; hangup causes differ between versions, so outcomes come from Dial statuses.</remarks>
public sealed class AriCallFacts(MonitoredExtensions monitored)
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _localByName = new(StringComparer.Ordinal);

    /// <summary>How many channels are being followed (bounded by what Asterisk has up).</summary>
    public int ChannelCount => _channels.Count;

    /// <summary>The ARI event types this mapper reads; everything else can be skipped unparsed.</summary>
    public static readonly IReadOnlySet<string> WantedEvents = new HashSet<string>(StringComparer.Ordinal)
    {
        "ChannelCreated", "ChannelStateChange", "ChannelConnectedLine", "ChannelDialplan", "ChannelHangupRequest", "ChannelDestroyed", "Dial",
    };

    public void Map(AriEvent evt, DateTimeOffset receivedAt, List<CallFact> facts)
    {
        // The gateway's clock, not Asterisk's: deadlines (queue grace, retention) are measured on it, and the PBX may be skewed.
        var at = receivedAt;
        switch (evt)
        {
            case AriDial dial:
                OnDial(dial, at, facts);
                break;
            case AriChannelDestroyed destroyed:
                OnDestroyed(destroyed, at, facts);
                break;
            case AriChannelEvent channelEvent:
                var channel = Track(channelEvent.Channel, at, facts);
                if (channelEvent is AriChannelStateChange)
                {
                    OnStateChange(channel, at, facts);
                }
                break;
        }
    }

    /// <summary>Forgets everything (Asterisk restarted, or a new snapshot replaces what we knew).</summary>
    public void Reset()
    {
        _channels.Clear();
        _localByName.Clear();
    }

    /// <summary>The channels of a snapshot that are legs toward monitored extensions (whose linkedid a resync wants).</summary>
    public IEnumerable<string> LegIds(IReadOnlyList<AriChannel> snapshot) =>
        snapshot.Where(c => monitored.TryMatch(c.Name, out _, out _)).Select(c => c.Id);

    /// <summary>
    /// The legs in a <c>GET /channels</c> snapshot. A leg's call is its linkedid when
    /// <paramref name="linkedIdOf"/> knows it (asked of Asterisk for each of <see cref="LegIds"/>);
    /// otherwise it is found from the snapshot alone: Local halves pair by name, and a phone leg
    /// belongs to the channel whose connected line is the leg's extension and whose caller is the
    /// leg's connected line (how Dial leaves them), which two calls from one number make ambiguous.
    /// </summary>
    public IReadOnlyList<LegSnapshot> Resync(IReadOnlyList<AriChannel> snapshot, DateTimeOffset at, Func<string, string?>? linkedIdOf = null)
    {
        Reset();
        foreach (var channel in snapshot)
        {
            Track(channel, at, facts: null);
        }
        var legs = new List<LegSnapshot>();
        foreach (var channel in _channels.Values)
        {
            if (!channel.IsLeg)
            {
                continue;
            }
            channel.ParentId ??= linkedIdOf?.Invoke(channel.Id) is { } linked && linked != channel.Id && _channels.ContainsKey(linked)
                ? linked
                : GuessCaller(channel)?.Id;
            var root = Root(channel);
            legs.Add(new LegSnapshot(LegFact(channel, root, at), channel.State == "Up"));
        }
        return legs;
    }

    private void OnDial(AriDial dial, DateTimeOffset at, List<CallFact> facts)
    {
        var peer = Track(dial.Peer, at, facts);
        if (dial.Caller is not null)
        {
            var caller = Track(dial.Caller, at, facts);
            peer.ParentId ??= caller.Id;
        }
        if (dial.DialStatus.Length > 0)
        {
            peer.DialStatus = dial.DialStatus;
        }
        if (!peer.IsLeg || peer.ParentId is null)
        {
            return;
        }

        facts.Add(LegFact(peer, Root(peer), at));
        if (dial.DialStatus == "ANSWER" || peer.State == "Up")
        {
            facts.Add(new LegAnswered(at, peer.Id));
        }
    }

    private void OnStateChange(Channel channel, DateTimeOffset at, List<CallFact> facts)
    {
        if (!channel.IsLeg || channel.ParentId is null)
        {
            return; // a leg whose Dial has not arrived yet: the Dial will report it
        }
        if (channel.State == "Ringing")
        {
            facts.Add(LegFact(channel, Root(channel), at));
        }
        else if (channel.State == "Up")
        {
            facts.Add(new LegAnswered(at, channel.Id));
        }
    }

    private void OnDestroyed(AriChannelDestroyed destroyed, DateTimeOffset at, List<CallFact> facts)
    {
        var channel = Track(destroyed.Channel, at, facts);
        if (channel.IsLeg && channel.ParentId is not null)
        {
            var root = Root(channel);
            var mayRingAgain = root != channel && root.App == "Queue" && _channels.ContainsKey(root.Id);
            facts.Add(new LegEnded(at, channel.Id, Outcome(destroyed.Cause, channel), mayRingAgain));
        }
        if (channel.ParentId is null)
        {
            facts.Add(new CallerHungUp(at, channel.Id));
        }
        _channels.Remove(channel.Id);
        if (channel.IsLocal)
        {
            _localByName.Remove(channel.Name);
        }
    }

    private Channel Track(AriChannel snapshot, DateTimeOffset at, List<CallFact>? facts)
    {
        if (!_channels.TryGetValue(snapshot.Id, out var channel))
        {
            channel = new Channel(snapshot.Id, snapshot.Name);
            channel.IsLeg = monitored.TryMatch(snapshot.Name, out var extension, out var kind);
            channel.Extension = extension;
            channel.Kind = kind;
            _channels[snapshot.Id] = channel;
            if (channel.IsLocal)
            {
                _localByName[snapshot.Name] = snapshot.Id;
                // The ;2 half runs the dialplan for its ;1 half: its caller is whoever dialled ;1.
                if (snapshot.Name.EndsWith(";2", StringComparison.Ordinal)
                    && _localByName.TryGetValue(ChannelNames.LocalPeer(snapshot.Name)!, out var outward))
                {
                    channel.ParentId = outward;
                }
            }
        }

        var wasQueued = channel.App == "Queue";
        channel.State = snapshot.State;
        channel.CallerNumber = snapshot.Caller.Number;
        channel.CallerName = snapshot.Caller.Name;
        channel.ConnectedNumber = snapshot.Connected.Number;
        channel.App = snapshot.Dialplan.AppName;
        if (wasQueued && channel.App != "Queue" && channel.ParentId is null)
        {
            facts?.Add(new CallerStoppedWaiting(at, channel.Id)); // left the queue: no further ring is coming
        }
        return channel;
    }

    private Channel Root(Channel channel)
    {
        var current = channel;
        for (var hops = 0; hops < 16 && current.ParentId is not null && _channels.TryGetValue(current.ParentId, out var parent); hops++)
        {
            current = parent;
        }
        return current;
    }

    private Channel? GuessCaller(Channel leg) =>
        _channels.Values.FirstOrDefault(c => !c.IsLeg && c.ParentId is null && c.ConnectedNumber == leg.Extension && c.CallerNumber == leg.ConnectedNumber)
        ?? _channels.Values.FirstOrDefault(c => !c.IsLeg && c.ParentId is null && c.CallerNumber.Length > 0 && c.CallerNumber == leg.ConnectedNumber);

    private static LegRinging LegFact(Channel leg, Channel root, DateTimeOffset at)
    {
        // The caller is the root's caller ID; before a Dial names the root (resync without a match) the leg's connected line is the best we have.
        var number = root != leg ? root.CallerNumber : leg.ConnectedNumber;
        var name = root != leg ? root.CallerName : "";
        return new LegRinging(at, CallSource.Ari, root.Id, leg.Id, leg.Extension, leg.Kind, number, name, leg.Name);
    }

    private static LegOutcome Outcome(int cause, Channel leg) => LegOutcomes.Of(cause, leg.DialStatus, leg.State == "Up");

    private sealed class Channel(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public bool IsLeg { get; set; }

        public bool IsLocal => Name.StartsWith("Local/", StringComparison.OrdinalIgnoreCase);

        public string Extension { get; set; } = "";

        public LegKind Kind { get; set; }

        public string? ParentId { get; set; }

        public string State { get; set; } = "";

        public string CallerNumber { get; set; } = "";

        public string CallerName { get; set; } = "";

        public string ConnectedNumber { get; set; } = "";

        public string App { get; set; } = "";

        public string DialStatus { get; set; } = "";
    }
}
