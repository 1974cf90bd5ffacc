using System.Collections.Frozen;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

/// <summary>
/// Turns AMI events into the same call facts as <see cref="AriCallFacts"/>. AMI makes the call id
/// easy (every channel carries <c>Linkedid</c>, the caller's Uniqueid, through queues and Local
/// chains) and the caller too (the Linkedid channel's CallerIDNum). Asterisk 13 and newer
/// (DialBegin/DialEnd); Asterisk 11's <c>Dial</c> with <c>SubEvent</c> is not supported.
/// Pure and single-threaded; fed in event order. A monitored phone that places a Dial calls out; one rung by a Dial
/// without a calling channel (an <c>Originate</c>: click-to-call) calls out too, once answered.
/// </summary>
public sealed class AmiCallFacts(MonitoredExtensions monitored)
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly HashSet<string> _queued = new(StringComparer.Ordinal);

    private delegate void Handler(AmiCallFacts facts, AmiMessage message, DateTimeOffset at, List<CallFact> output);

    /// <summary>Event name → what it does: the one table <see cref="WantedEvents"/> is built from, so a handled event cannot be filtered out.</summary>
    private static readonly FrozenDictionary<string, Handler> Handlers = new Dictionary<string, Handler>
    {
        ["Newchannel"] = static (f, m, _, _) => f.Track(m, ""),
        ["NewConnectedLine"] = static (f, m, _, _) => f.Track(m, ""),
        ["NewCallerid"] = static (f, m, _, _) => f.Track(m, ""),
        ["Newstate"] = static (f, m, at, o) => f.OnNewstate(m, at, o),
        ["DialBegin"] = static (f, m, at, o) => f.OnDial(m, at, o),
        ["DialState"] = static (f, m, at, o) => f.OnDial(m, at, o),
        ["DialEnd"] = static (f, m, at, o) => f.OnDial(m, at, o),
        ["Hangup"] = static (f, m, at, o) => f.OnHangup(m, at, o),
        ["BlindTransfer"] = static (f, m, at, o) => f.OnBlindTransfer(m, at, o),
        ["AttendedTransfer"] = static (f, m, at, o) => f.OnAttendedTransfer(m, at, o),
        ["QueueCallerJoin"] = static (f, m, _, _) => f.OnQueueJoined(m),
        ["QueueCallerLeave"] = static (f, m, at, o) => f.OnQueueLeft(m, at, o),
        ["QueueCallerAbandon"] = static (f, m, at, o) => f.OnQueueLeft(m, at, o),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The events of a <c>CoreShowChannels</c> list, which <see cref="Resync"/> reads.</summary>
    private static readonly string[] ResyncEvents = ["CoreShowChannel", "CoreShowChannelsComplete"];

    /// <summary>The events <see cref="Map"/> handles.</summary>
    public static IEnumerable<string> HandledEvents => Handlers.Keys;

    /// <summary>The events this mapper reads (what the AMI connection should keep; everything else is dropped unparsed).</summary>
    public static readonly IReadOnlySet<string> WantedEvents = new HashSet<string>(Handlers.Keys.Concat(ResyncEvents), StringComparer.OrdinalIgnoreCase);

    public void Map(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        if (message.EventName is { } name && Handlers.TryGetValue(name, out var handle))
        {
            handle(this, message, at, facts);
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
        // A phone whose channel started its call calls out; the number it calls is its connected line, as far as the list tells.
        var calling = _channels.Values.Where(c => c is { IsLeg: true, IsRoot: true, Kind: LegKind.Device }).ToList();
        foreach (var phone in calling)
        {
            phone.Calling = true;
            phone.OutAnswered = phone.State == "Up";
            phone.DialledParty = phone.ConnectedNumber.Length > 0 ? new Party(phone.ConnectedNumber, "", IsPhone: false) : null;
        }
        return legs.Select(c => new LegSnapshot(LegFact(c, at), c.State == "Up"))
            .Concat(calling.Select(c => new LegSnapshot(CallingFact(c, at), c.State == "Up")))
            .ToList();
    }

    private void OnNewstate(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        if (Track(message, "") is { } channel)
        {
            OnState(channel, at, facts);
        }
    }

    private void OnBlindTransfer(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        if (message["Result"] == "Success")
        {
            OnTransferred(TransferKind.Blind, message, "Transferer", message["Extension"], at, facts);
        }
    }

    private void OnAttendedTransfer(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        if (message["Result"] == "Success")
        {
            var target = message["TransferTargetChannel"] is { } t && ChannelNames.TryGetExtension(t, out var exten, out _) ? exten.ToString() : null;
            OnTransferred(TransferKind.Attended, message, "OrigTransferer", target, at, facts);
        }
    }

    private void OnQueueJoined(AmiMessage message)
    {
        if (message["Uniqueid"] is { } joined)
        {
            _queued.Add(joined);
        }
    }

    private void OnQueueLeft(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        if (message["Uniqueid"] is { } left && _queued.Remove(left))
        {
            facts.Add(new CallerStoppedWaiting(at, message["Linkedid"] ?? left));
        }
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
        if (caller is { IsLeg: true, Kind: LegKind.Device, IsRoot: true } && dest is not null)
        {
            OnCallingOut(caller, dest, message, at, facts);
        }
        if (caller is null && dest is { IsLeg: true, Kind: LegKind.Device, IsRoot: true })
        {
            // An Originate (click-to-call): the agent's phone rings first, with whatever caller ID the action gave
            // (usually the customer's), and dials the number once answered. An outbound call, not the customer calling.
            dest.Calling = true;
            dest.DialledParty ??= dest.CallerNumber.Length > 0 && dest.CallerNumber != dest.Extension
                ? new Party(dest.CallerNumber, dest.CallerName, IsPhone: false)
                : null;
            if (message["DialStatus"] is { Length: > 0 } originateStatus)
            {
                dest.DialStatus = originateStatus;
            }
            facts.Add(CallingFact(dest, at));
            return;
        }
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
        else if (status is "NOANSWER" or "BUSY" or "CHANUNAVAIL" or "CONGESTION")
        {
            // The phone stopped ringing for good: say so now, the caller's hangup may be reported before the leg's.
            facts.Add(Ended(dest, cause: 0, at));
        }
    }

    private LegEnded Ended(Channel leg, int cause, DateTimeOffset at)
    {
        var mayRingAgain = _queued.Contains(leg.LinkedId) && _channels.ContainsKey(leg.LinkedId);
        return new LegEnded(at, leg.Id, Outcome(cause, leg), mayRingAgain);
    }

    /// <summary>The extension's phone <paramref name="phone"/> dials <paramref name="peer"/>: its outbound (or internal) call.</summary>
    private void OnCallingOut(Channel phone, Channel peer, AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        phone.Calling = true;
        var dialString = message["DialString"];
        if (phone.DialledParty is null || dialString is { Length: > 0 })
        {
            // The dial string's number (09123456789@provider, provider/09123456789); chan_sip never tells the caller's
            // channel the dialled number as its connected line, and the trunk leg's caller ID is the same number.
            var number = DialStrings.Number(dialString) ?? (peer.CallerNumber.Length > 0 ? peer.CallerNumber : phone.ConnectedNumber);
            var isPhone = peer.IsLeg || (peer.Endpoint.Length > 0 && peer.Endpoint == number);
            phone.DialledParty = new Party(number, isPhone ? peer.CallerName : "", isPhone);
        }
        var status = message["DialStatus"] ?? "";
        if (status.Length > 0)
        {
            phone.OutDialStatus = status;
        }
        facts.Add(CallingFact(phone, at));
        if (status == "ANSWER")
        {
            phone.OutAnswered = true;
            facts.Add(new LegAnswered(at, phone.Id));
        }
    }

    private static LegRinging CallingFact(Channel phone, DateTimeOffset at) =>
        new(at, CallSource.Ami, phone.LinkedId, phone.Id, phone.Extension, phone.Kind, phone.Extension, "") { Outbound = true, Party = phone.DialledParty };

    private void OnTransferred(TransferKind kind, AmiMessage message, string transferer, string? to, DateTimeOffset at, List<CallFact> facts)
    {
        if (message[transferer + "Channel"] is not { } channel || !ChannelNames.TryGetExtension(channel, out var from, out _))
        {
            return;
        }
        var callId = message[transferer + "Linkedid"] ?? message[transferer + "Uniqueid"] ?? "";
        var root = _channels.GetValueOrDefault(callId);
        var number = Known(message["TransfereeCallerIDNum"]) ?? root?.CallerNumber ?? "";
        var name = Known(message["TransfereeCallerIDName"]) ?? root?.CallerName ?? "";
        facts.Add(new CallTransferred(at, callId, kind, from.ToString(), to, number, name));
    }

    private void OnHangup(AmiMessage message, DateTimeOffset at, List<CallFact> facts)
    {
        var channel = Track(message, "");
        if (channel is null)
        {
            return;
        }
        if (channel.Calling)
        {
            // How the far end answered decides (or, for a click-to-call the agent never picked up, how the agent did).
            var cause = int.TryParse(message["Cause"], out var c) ? c : 0;
            var status = channel.OutDialStatus.Length > 0 ? channel.OutDialStatus : channel.DialStatus;
            facts.Add(new LegEnded(at, channel.Id, LegOutcomes.Of(cause, status, channel.OutAnswered)));
        }
        if (channel.IsLeg && !channel.IsRoot && channel.Dialled)
        {
            var cause = int.TryParse(message["Cause"], out var c) ? c : 0;
            facts.Add(Ended(channel, cause, at));
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
            channel.Endpoint = ChannelNames.TryGetExtension(name, out var endpoint, out _) ? endpoint.ToString() : "";
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
        return new LegRinging(at, CallSource.Ami, leg.LinkedId, leg.Id, leg.Extension, leg.Kind, number, name, leg.Name) { Party = PartyOf(leg) };
    }

    /// <summary>
    /// Who the phone sees calling: the leg's connected line (or whoever dialled it). When that is the extension of a phone
    /// in the same call — named after it and carrying it as caller ID — a phone calls: a colleague's own call, or a
    /// colleague's consultation on behalf of the caller (an attended transfer). AMI has no parent chain to follow; the linkedid is enough.
    /// </summary>
    private Party? PartyOf(Channel leg)
    {
        var number = leg.ConnectedNumber.Length > 0 ? leg.ConnectedNumber : leg.DialerCallerNumber;
        if (number.Length == 0)
        {
            return null;
        }
        var phone = _channels.Values.FirstOrDefault(c => c != leg && c.LinkedId == leg.LinkedId && c.Endpoint == number && c.CallerNumber == number);
        return new Party(number, phone?.CallerName ?? "", phone is not null);
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

        /// <summary>The channel's name without technology and suffix: the phone's extension, or a trunk's name.</summary>
        public string Endpoint { get; set; } = "";

        /// <summary>The extension's phone calls out on this channel (it dials, or an originate rang it).</summary>
        public bool Calling { get; set; }

        public Party? DialledParty { get; set; }

        /// <summary>The status of the Dial this channel placed.</summary>
        public string OutDialStatus { get; set; } = "";

        public bool OutAnswered { get; set; }
    }
}
