using System.Collections.Frozen;
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
/// arrive before Dial RINGING; hangup causes differ between versions, so outcomes come from Dial statuses.
/// A monitored phone that is itself the Dial caller calls out; one rung by a Dial without a caller (an originate:
/// click-to-call) calls out too, once answered. An attended transfer's Local channel is originated as well; it joins
/// the call through the bridge it shares with the transferer's phone.</remarks>
public sealed class AriCallFacts(MonitoredExtensions monitored)
{
    private readonly Dictionary<string, Channel> _channels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _localByName = new(StringComparer.Ordinal);

    /// <summary>How many channels are being followed (bounded by what Asterisk has up).</summary>
    public int ChannelCount => _channels.Count;

    private delegate void Handler(AriCallFacts facts, AriEvent evt, DateTimeOffset at, List<CallFact> output);

    /// <summary>ARI type → what it does: the one table <see cref="WantedEvents"/> is built from, so a handled event cannot be filtered out.</summary>
    private static readonly FrozenDictionary<string, Handler> Handlers = new Dictionary<string, Handler>
    {
        ["ChannelCreated"] = On<AriChannelCreated>(static (f, e, at, o) => f.Track(e.Channel, at, o)),
        ["ChannelConnectedLine"] = On<AriChannelConnectedLine>(static (f, e, at, o) => f.Track(e.Channel, at, o)),
        ["ChannelDialplan"] = On<AriChannelDialplan>(static (f, e, at, o) => f.Track(e.Channel, at, o)),
        ["ChannelHangupRequest"] = On<AriChannelHangupRequest>(static (f, e, at, o) => f.Track(e.Channel, at, o)),
        ["ChannelStateChange"] = On<AriChannelStateChange>(static (f, e, at, o) => f.OnStateChange(f.Track(e.Channel, at, o), at, o)),
        ["ChannelDestroyed"] = On<AriChannelDestroyed>(static (f, e, at, o) => f.OnDestroyed(e, at, o)),
        ["Dial"] = On<AriDial>(static (f, e, at, o) => f.OnDial(e, at, o)),
        ["ChannelEnteredBridge"] = On<AriChannelEnteredBridge>(static (f, e, at, o) => f.OnEnteredBridge(f.Track(e.Channel, at, o), e.Bridge, at, o)),
        ["BridgeBlindTransfer"] = On<AriBridgeBlindTransfer>(static (f, e, at, o) => f.OnBlindTransfer(e, at, o)),
        ["BridgeAttendedTransfer"] = On<AriBridgeAttendedTransfer>(static (f, e, at, o) => f.OnAttendedTransfer(e, at, o)),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The ARI types <see cref="Map"/> handles.</summary>
    public static IEnumerable<string> HandledEvents => Handlers.Keys;

    /// <summary>The ARI event types this mapper reads; everything else can be skipped unparsed.</summary>
    public static readonly IReadOnlySet<string> WantedEvents = Handlers.Keys.ToFrozenSet(StringComparer.Ordinal);

    public void Map(AriEvent evt, DateTimeOffset receivedAt, List<CallFact> facts)
    {
        // The gateway's clock, not Asterisk's: deadlines (queue grace, retention) are measured on it, and the PBX may be skewed.
        if (Handlers.TryGetValue(evt.Type, out var handle))
        {
            handle(this, evt, receivedAt, facts);
        }
    }

    /// <summary>A handler for one record type (a frame of an unexpected shape is skipped, as the parser would).</summary>
    private static Handler On<TEvent>(Action<AriCallFacts, TEvent, DateTimeOffset, List<CallFact>> handle)
        where TEvent : AriEvent =>
        (facts, evt, at, output) =>
        {
            if (evt is TEvent typed)
            {
                handle(facts, typed, at, output);
            }
        };

    private void OnBlindTransfer(AriBridgeBlindTransfer blind, DateTimeOffset at, List<CallFact> facts)
    {
        var transferer = Track(blind.Channel, at, facts);
        if (blind.Result == "Success")
        {
            OnTransferred(TransferKind.Blind, transferer, blind.Exten, blind.Transferee, at, facts);
        }
    }

    private void OnAttendedTransfer(AriBridgeAttendedTransfer attended, DateTimeOffset at, List<CallFact> facts)
    {
        if (attended.Result == "Success")
        {
            var target = attended.TransferTarget is { } t && ChannelNames.TryGetExtension(t.Name, out var exten, out _) ? exten.ToString() : null;
            OnTransferred(TransferKind.Attended, Track(attended.TransfererFirstLeg, at, facts), target, attended.Transferee, at, facts);
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
            var linked = linkedIdOf?.Invoke(channel.Id);
            if (linked == channel.Id && channel.Kind == LegKind.Device)
            {
                // The phone's channel started its call: it calls out (the trunk leg it talks to is not its caller).
                legs.Add(new LegSnapshot(Calling(channel, at), channel.State == "Up"));
                continue;
            }
            channel.ParentId ??= linked is not null && linked != channel.Id && _channels.ContainsKey(linked)
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
        var caller = dial.Caller is null ? null : Track(dial.Caller, at, facts);
        if (caller is not null)
        {
            peer.ParentId ??= caller.Id;
        }
        if (dial.DialStatus.Length > 0)
        {
            peer.DialStatus = dial.DialStatus;
        }
        if (caller is { IsLeg: true, Kind: LegKind.Device, ParentId: null })
        {
            OnCallingOut(caller, peer, dial, at, facts);
        }
        if (caller is null && peer is { IsLeg: true, Kind: LegKind.Device, ParentId: null })
        {
            // An originate (click-to-call): the agent's phone rings first, with whatever caller ID the request gave
            // (usually the customer's), and dials the number once answered. An outbound call, not the customer calling.
            peer.Calling = true;
            peer.DialledParty ??= peer.CallerNumber.Length > 0 && peer.CallerNumber != peer.Extension
                ? new Party(peer.CallerNumber, peer.CallerName, IsPhone: false)
                : null;
            facts.Add(CallingFact(peer, at));
            return;
        }
        if (!peer.IsLeg || peer.ParentId is null || Deferred(peer))
        {
            return;
        }

        var root = Root(peer);
        facts.Add(LegFact(peer, root, at));
        if (dial.DialStatus == "ANSWER" || peer.State == "Up")
        {
            facts.Add(new LegAnswered(at, peer.Id));
        }
        else if (dial.DialStatus is "NOANSWER" or "BUSY" or "CHANUNAVAIL" or "CONGESTION")
        {
            // The phone stopped ringing for good: say so now, the caller's hangup may be reported before the leg's.
            facts.Add(Ended(peer, root, cause: 0, at));
        }
    }

    /// <summary>
    /// A leg dialled from an originated Local channel that has not joined a call yet (on 16 the consultation's phone is
    /// dialled before the transferer enters the Local channel's bridge) waits for that bridge: see <see cref="OnEnteredBridge"/>.
    /// </summary>
    private bool Deferred(Channel leg)
    {
        leg.Deferred = IsOrphanLocal(Root(leg));
        return leg.Deferred;
    }

    private LegEnded Ended(Channel leg, Channel root, int cause, DateTimeOffset at)
    {
        var mayRingAgain = root != leg && root.App == "Queue" && _channels.ContainsKey(root.Id);
        return new LegEnded(at, leg.Id, Outcome(cause, leg), mayRingAgain);
    }

    /// <summary>The extension's phone <paramref name="phone"/> dials <paramref name="peer"/>: its outbound (or internal) call.</summary>
    private void OnCallingOut(Channel phone, Channel peer, AriDial dial, DateTimeOffset at, List<CallFact> facts)
    {
        phone.Calling = true;
        if (phone.DialledParty is null || dial.DialString is { Length: > 0 })
        {
            // The dial string's number (09123456789@provider, provider/09123456789); chan_sip never tells the caller's
            // channel the dialled number as its connected line, and the trunk leg's caller ID is the same number.
            var number = DialStrings.Number(dial.DialString) ?? (peer.CallerNumber.Length > 0 ? peer.CallerNumber : phone.ConnectedNumber);
            var isPhone = peer.IsLeg || (peer.Endpoint.Length > 0 && peer.Endpoint == number);
            phone.DialledParty = new Party(number, isPhone ? peer.CallerName : "", isPhone);
        }
        if (dial.DialStatus.Length > 0)
        {
            phone.OutDialStatus = dial.DialStatus;
        }
        facts.Add(CallingFact(phone, at));
        if (dial.DialStatus == "ANSWER")
        {
            phone.OutAnswered = true;
            facts.Add(new LegAnswered(at, phone.Id));
        }
    }

    /// <summary>A phone found calling out by a resync: the number it calls is its connected line, as far as the snapshot tells.</summary>
    private LegRinging Calling(Channel phone, DateTimeOffset at)
    {
        phone.Calling = true;
        phone.OutAnswered = phone.State == "Up";
        phone.DialledParty = phone.ConnectedNumber.Length > 0 ? new Party(phone.ConnectedNumber, "", IsPhone: false) : null;
        return CallingFact(phone, at);
    }

    private LegRinging CallingFact(Channel phone, DateTimeOffset at) =>
        new(at, CallSource.Ari, Root(phone).Id, phone.Id, phone.Extension, phone.Kind, phone.Extension, "") { Outbound = true, Party = phone.DialledParty };

    /// <summary>
    /// An originated Local half (the attended transfer's <c>Local/1008@…;1</c>) has no Dial caller: it belongs to the call
    /// of the channel it shares a bridge with (the transferer's phone), as AMI's linkedid says.
    /// </summary>
    private void OnEnteredBridge(Channel entered, AriBridge bridge, DateTimeOffset at, List<CallFact> facts)
    {
        foreach (var id in bridge.Channels)
        {
            if (id == entered.Id || !_channels.TryGetValue(id, out var other))
            {
                continue;
            }
            if (IsOrphanLocal(other) && !IsOrphanLocal(entered))
            {
                other.ParentId = entered.Id;
            }
            else if (IsOrphanLocal(entered) && !IsOrphanLocal(other))
            {
                entered.ParentId = other.Id;
            }
        }
        foreach (var leg in _channels.Values)
        {
            if (leg.Deferred && !Deferred(leg))
            {
                facts.Add(LegFact(leg, Root(leg), at));
                if (leg.State == "Up")
                {
                    facts.Add(new LegAnswered(at, leg.Id));
                }
            }
        }
    }

    private static bool IsOrphanLocal(Channel channel) => channel.IsLocal && channel.ParentId is null && channel.Name.EndsWith(";1", StringComparison.Ordinal);

    private void OnTransferred(TransferKind kind, Channel transferer, string? to, AriChannel? transferee, DateTimeOffset at, List<CallFact> facts)
    {
        if (!ChannelNames.TryGetExtension(transferer.Name, out var from, out _))
        {
            return;
        }
        var root = Root(transferer);
        var customer = transferee is null ? root : Track(transferee, at, facts);
        facts.Add(new CallTransferred(at, root.Id, kind, from.ToString(), to, customer.CallerNumber, customer.CallerName));
    }

    private void OnStateChange(Channel channel, DateTimeOffset at, List<CallFact> facts)
    {
        if (!channel.IsLeg || channel.ParentId is null || Deferred(channel))
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
        if (channel.Calling)
        {
            // How the far end answered decides (or, for a click-to-call the agent never picked up, how the agent did).
            var status = channel.OutDialStatus.Length > 0 ? channel.OutDialStatus : channel.DialStatus;
            facts.Add(new LegEnded(at, channel.Id, LegOutcomes.Of(destroyed.Cause, status, channel.OutAnswered)));
        }
        if (channel.IsLeg && channel.ParentId is not null)
        {
            var root = Root(channel);
            facts.Add(Ended(channel, root, destroyed.Cause, at));
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
            channel.Endpoint = ChannelNames.TryGetExtension(snapshot.Name, out var endpoint, out _) ? endpoint.ToString() : "";
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

    private LegRinging LegFact(Channel leg, Channel root, DateTimeOffset at)
    {
        // The caller is the root's caller ID; before a Dial names the root (resync without a match) the leg's connected line is the best we have.
        var number = root != leg ? root.CallerNumber : leg.ConnectedNumber;
        var name = root != leg ? root.CallerName : "";
        return new LegRinging(at, CallSource.Ari, root.Id, leg.Id, leg.Extension, leg.Kind, number, name, leg.Name) { Party = PartyOf(leg) };
    }

    /// <summary>
    /// The nearest real channel that dialled the leg (Local halves skipped): the caller itself, or a colleague's phone
    /// calling on the caller's behalf (the consultation of an attended transfer). A phone's channel is named after
    /// its extension and carries it as caller ID; a trunk's is not.
    /// </summary>
    private Party? PartyOf(Channel leg)
    {
        var party = leg;
        for (var hops = 0; hops < 16 && party.ParentId is not null && _channels.TryGetValue(party.ParentId, out var parent); hops++)
        {
            party = parent;
            if (!party.IsLocal)
            {
                return new Party(party.CallerNumber, party.CallerName, party.CallerNumber.Length > 0 && party.Endpoint == party.CallerNumber);
            }
        }
        return null;
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

        /// <summary>The channel's name without technology and suffix: the phone's extension, or a trunk's name.</summary>
        public string Endpoint { get; set; } = "";

        /// <summary>The extension's phone calls out on this channel (it dials, or an originate rang it).</summary>
        public bool Calling { get; set; }

        public Party? DialledParty { get; set; }

        /// <summary>The status of the Dial this channel placed.</summary>
        public string OutDialStatus { get; set; } = "";

        public bool OutAnswered { get; set; }

        /// <summary>Its call is not known yet (see <see cref="Deferred(Channel)"/>).</summary>
        public bool Deferred { get; set; }
    }
}
