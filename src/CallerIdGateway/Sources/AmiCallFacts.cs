using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

/// <summary>
/// Turns AMI events into the same call facts as <see cref="AriCallFacts"/>. AMI makes the call id
/// easy (every channel carries <c>Linkedid</c>, the caller's Uniqueid, through queues and Local
/// chains) and the caller too (the Linkedid channel's CallerIDNum). Asterisk 13 and newer
/// (DialBegin/DialEnd); Asterisk 11's <c>Dial</c> with <c>SubEvent</c> is not supported.
/// Pure and single-threaded; fed in event order.
/// </summary>
public sealed class AmiCallFacts(MonitoredExtensions monitored)
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    /// <summary>The events this mapper reads (what the AMI connection should keep; everything else is dropped unparsed).</summary>
    public static readonly IReadOnlySet<string> WantedEvents = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Newchannel", "Newstate", "NewConnectedLine", "NewCallerid", "DialBegin", "DialState", "DialEnd", "Hangup",
        "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "CoreShowChannel", "CoreShowChannelsComplete",
    };

    public int ChannelCount => _channels.Count;

    public void Map(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        switch (message.EventName)
        {
            case "Newchannel" or "Newstate" or "NewConnectedLine" or "NewCallerid":
                var channel = Track(message, "");
                if (channel is not null && message.EventName == "Newstate")
                {
                    OnState(channel, at, facts);
                }
                break;
            case "DialBegin" or "DialState" or "DialEnd":
                OnDial(message, at, facts);
                break;
            case "Hangup":
                OnHangup(message, at, facts);
                break;
            case "QueueCallerJoin":
                if (message["Uniqueid"] is { } joined)
                {
                    _queued.Add(joined);
                }
                break;
            case "QueueCallerLeave" or "QueueCallerAbandon":
                if (message["Uniqueid"] is { } left && _queued.Remove(left))
                {
                    facts.Add(new CallerStoppedWaiting(at, message["Linkedid"] ?? left));
                }
                break;
        }
    }

    /// <summary>The legs in a CoreShowChannels list (the events of one <c>Action: CoreShowChannels</c>).</summary>
    public IReadOnlyList<LegSnapshot> Resync(IEnumerable<AmiMessage> coreShowChannels, DateTimeOffset at)
    {
        _channels.Clear();
        _queued.Clear();
        foreach (var message in coreShowChannels)
        {
            if (message.EventName == "CoreShowChannel")
            {
                Track(message, "");
            }
        }
        var legs = _channels.Values.Where(c => c.IsLeg && !c.IsRoot).ToList();
        foreach (var leg in legs)
        {
            leg.Dialled = true; // it is up toward a monitored phone now; its hangup must end the call
        }
        return legs.Select(c => new LegSnapshot(LegFact(c, at), c.State == "Up")).ToList();
    }

    private void OnState(Channel channel, DateTimeOffset at, List<CallFact> facts)
    {
        if (!channel.IsLeg || channel.IsRoot)
        {
            return;
        }
        if (channel.State == "Ringing")
        {
            channel.Dialled = true;
            facts.Add(LegFact(channel, at));
        }
        else if (channel.State == "Up" && channel.Dialled)
        {
            facts.Add(new LegAnswered(at, channel.Id));
        }
    }

    private void OnDial(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        var caller = Track(message, "");
        var dest = Track(message, "Dest");
        if (dest is null || !dest.IsLeg || dest.IsRoot)
        {
            return;
        }
        dest.Dialled = true;
        if (caller is not null && dest.DialerCallerNumber.Length == 0)
        {
            dest.DialerCallerNumber = caller.CallerNumber;
            dest.DialerCallerName = caller.CallerName;
        }
        var status = message["DialStatus"] ?? "";
        if (status.Length > 0)
        {
            dest.DialStatus = status;
        }
        facts.Add(LegFact(dest, at));
        if (status == "ANSWER" || dest.State == "Up")
        {
            facts.Add(new LegAnswered(at, dest.Id));
        }
    }

    private void OnHangup(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        var channel = Track(message, "");
        if (channel is null)
        {
            return;
        }
        if (channel.IsLeg && !channel.IsRoot && channel.Dialled)
        {
            var cause = int.TryParse(message["Cause"], out var c) ? c : 0;
            var mayRingAgain = _queued.Contains(channel.LinkedId) && _channels.ContainsKey(channel.LinkedId);
            facts.Add(new LegEnded(at, channel.Id, Outcome(cause, channel), mayRingAgain));
        }
        if (channel.IsRoot)
        {
            _queued.Remove(channel.Id);
            facts.Add(new CallerHungUp(at, channel.Id));
        }
        _channels.Remove(channel.Id);
    }

    /// <summary>Updates what is known of the channel the headers with <paramref name="prefix"/> describe ("" or "Dest").</summary>
    private Channel? Track(AmiMessage message, string prefix)
    {
        var id = message[prefix + "Uniqueid"];
        var name = message[prefix + "Channel"];
        if (id is null || name is null)
        {
            return null;
        }
        if (!_channels.TryGetValue(id, out var channel))
        {
            channel = new Channel(id, message[prefix + "Linkedid"] ?? id, name);
            channel.IsLeg = monitored.TryMatch(name, out var extension, out var kind);
            channel.Extension = extension;
            channel.Kind = kind;
            _channels[id] = channel;
        }
        channel.State = message[prefix + "ChannelStateDesc"] ?? channel.State;
        channel.CallerNumber = Known(message[prefix + "CallerIDNum"]) ?? channel.CallerNumber;
        channel.CallerName = Known(message[prefix + "CallerIDName"]) ?? channel.CallerName;
        channel.ConnectedNumber = Known(message[prefix + "ConnectedLineNum"]) ?? channel.ConnectedNumber;
        return channel;
    }

    /// <summary>AMI writes an empty caller ID as the literal <c>&lt;unknown&gt;</c>.</summary>
    private static string? Known(string? value) => value is null ? null : value == "<unknown>" ? "" : value;

    private LegRinging LegFact(Channel leg, DateTimeOffset at)
    {
        // The caller is the Linkedid channel's caller ID; without it (a resync that missed it),
        // whoever dialled the leg, then the leg's connected line.
        var (number, name) = _channels.TryGetValue(leg.LinkedId, out var root)
            ? (root.CallerNumber, root.CallerName)
            : leg.DialerCallerNumber.Length > 0 ? (leg.DialerCallerNumber, leg.DialerCallerName) : (leg.ConnectedNumber, "");
        return new LegRinging(at, CallSource.Ami, leg.LinkedId, leg.Id, leg.Extension, leg.Kind, number, name, leg.Name);
    }

    private static LegOutcome Outcome(int cause, Channel leg) => LegOutcomes.Of(cause, leg.DialStatus, leg.State == "Up");

    private sealed class Channel(string id, string linkedId, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public string LinkedId { get; } = linkedId;

        public bool IsRoot => Id == LinkedId;

        public bool IsLeg { get; set; }

        /// <summary>A Dial toward it was seen: only then is it a leg ringing the phone (not, say, the phone calling out).</summary>
        public bool Dialled { get; set; }

        public string Extension { get; set; } = "";

        public LegKind Kind { get; set; }

        public string State { get; set; } = "";

        public string CallerNumber { get; set; } = "";

        public string CallerName { get; set; } = "";

        public string ConnectedNumber { get; set; } = "";

        public string DialerCallerNumber { get; set; } = "";

        public string DialerCallerName { get; set; } = "";

        public string DialStatus { get; set; } = "";
    }
}
