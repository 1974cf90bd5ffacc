namespace CallerIdGateway.Calls;

/// <summary>
/// The one place that decides what a call is and which state it is in. Sources report legs (a
/// channel toward a monitored extension) and callers; the tracker folds them into one
/// <see cref="CallInfo"/> per call and extension and returns a change only when a state really changes. Which facts
/// move a call from which state to which is the table of <see cref="CallTransitions"/>; the tracker reads the facts
/// into its triggers and keeps the legs, the parties and how long to remember a call:
/// <code>
/// ringing ─▶ answered ─▶ ended
///    ├─────▶ missed               (caller gave up, busy, no answer; after the queue retry grace for queued callers)
///    └─────▶ answeredElsewhere    (another extension of the ring group / queue took it)
/// </code>
/// Who the extension talks to (inbound, outbound, internal) is decided in <see cref="Parties"/>; what a transfer does
/// to the calls it touches, in <see cref="OnTransferred"/>:
/// <code>
/// transferer (From):  answered ─▶ ended (outcome transferred)
/// target (To):        consultation: ringing/answered, internal, colleague From ─▶ same state, inbound, the customer
///                     blind: a new leg of the call rings To ─▶ ringing, inbound, "transferred from From"
/// </code>
/// Numbers stay as the PBX presented them: the caller resolver normalizes the one it looks up (<see cref="CallPublisher"/>).
/// Deterministic and single-threaded: time comes only from the facts, so it is tested without
/// sockets or clocks. <see cref="CallTrackerService"/> serializes access.
/// </summary>
public sealed class CallTracker(GatewayOptions options, CallHookLimits? hookLimits = null)
{
    private readonly Dictionary<CallKey, TrackedCall> _calls = [];
    private readonly Dictionary<string, List<TrackedCall>> _byCallId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Leg> _legs = new(StringComparer.Ordinal);
    private readonly Dictionary<CallKey, (CallTransfer Transfer, DateTimeOffset At)> _blindTransfers = [];
    private readonly HashSet<string> _extensions = new(options.MonitoredExtensions, StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _colleagueNames = new(options.Colleagues, StringComparer.OrdinalIgnoreCase);

    /// <summary>Calls ringing or answered now.</summary>
    public IEnumerable<CallInfo> ActiveCalls => _calls.Values.Where(c => c.Info.IsActive).Select(c => c.Info);

    /// <summary>Applies one fact; returns the calls whose state changed, in the order they changed.</summary>
    public IReadOnlyList<CallInfo> Apply(CallFact fact)
    {
        var changes = new List<CallInfo>(1);
        switch (fact)
        {
            case LegRinging ringing:
                OnLegRinging(ringing, changes);
                break;
            case LegAnswered answered:
                OnLegAnswered(answered.LegId, answered.At, changes);
                break;
            case LegEnded ended:
                OnLegEnded(ended.LegId, ended.Outcome, ended.CallerMayRingAgain, ended.At, changes);
                break;
            case CallerHungUp hungUp:
                OnCallerHungUp(hungUp, changes);
                break;
            case CallerStoppedWaiting stopped:
                OnCallerStoppedWaiting(stopped, changes);
                break;
            case SourceResynced resynced:
                OnResynced(resynced, changes);
                break;
            case CallTransferred transferred:
                OnTransferred(transferred, changes);
                break;
            case ClockTick tick:
                OnTick(tick.At, changes);
                break;
        }
        return changes;
    }

    private void OnLegRinging(LegRinging fact, List<CallInfo> changes)
    {
        if (_legs.TryGetValue(fact.LegId, out var known))
        {
            known.Call.Touched = fact.At;
            // The same leg again (Dial "", Ringing, Dial RINGING…): not a change, unless a click-to-call leg, answered by
            // the agent, now dials the number it was for.
            if (fact.Outbound && fact.Party is { Number.Length: > 0 } dialled && dialled.Number != known.Call.Info.RemoteNumber)
            {
                Change(known.Call, WithParties(known.Call.Info, fact), changes);
            }
            return;
        }

        var key = new CallKey(fact.CallId, fact.Extension);
        if (_calls.TryGetValue(key, out var call))
        {
            AddLeg(call, fact);
            // A queue rang the agent again: before the grace ran out still the same ringing call; after it (reported
            // missed), the phone rings again, and the card says so with whoever rings now.
            Move(call, CallTrigger.Rung, fact.At, changes, basis: call.Phase == CallPhase.Missed ? WithParties(call.Info, fact) : null);
            return;
        }

        call = new TrackedCall(key, WithParties(new CallInfo
        {
            Id = fact.CallId,
            Extension = fact.Extension,
            CallerNumber = fact.CallerNumber,
            CallerName = fact.CallerName,
            State = CallState.Ringing,
            Source = fact.Source,
            StartedAt = fact.At,
        }, fact), fact.At) { Calling = fact.Outbound };
        _calls.Add(key, call);
        if (!_byCallId.TryGetValue(fact.CallId, out var siblings))
        {
            _byCallId[fact.CallId] = siblings = new List<TrackedCall>(1);
        }
        siblings.Add(call);
        AddLeg(call, fact);
        changes.Add(call.Info);
    }

    private void AddLeg(TrackedCall call, LegRinging fact)
    {
        var leg = new Leg(fact.LegId, fact.Kind, fact.Source, call) { Channel = fact.Channel };
        call.Legs.Add(leg);
        _legs[fact.LegId] = leg;
        call.Touched = fact.At;
    }

    private void OnLegAnswered(string legId, DateTimeOffset at, List<CallInfo> changes)
    {
        if (!_legs.TryGetValue(legId, out var leg) || leg.Ended || leg.Answered)
        {
            return;
        }
        leg.Answered = true;
        var call = leg.Call;
        call.Touched = at;

        // A Local leg goes Up when its dialplan answers (voicemail, an IVR), not only when the agent
        // does; it counts only when no phone leg of the extension is known.
        if (leg.Kind == LegKind.Local && call.Legs.Any(l => l.Kind == LegKind.Device))
        {
            return;
        }
        if (!Move(call, CallTrigger.Answered, at, changes))
        {
            return;
        }
        foreach (var sibling in _byCallId[call.Key.CallId])
        {
            // Only legs the call rang compete (a ring group, a queue): the phone that dials is not "answered elsewhere".
            if (sibling != call && !sibling.Calling && !call.Calling)
            {
                Move(sibling, CallTrigger.AnsweredElsewhere, at, changes, basis: sibling.Info with { AnsweredBy = call.Key.Extension });
            }
        }
    }

    private void OnLegEnded(string legId, LegOutcome outcome, bool callerMayRingAgain, DateTimeOffset at, List<CallInfo> changes)
    {
        if (!_legs.TryGetValue(legId, out var leg) || leg.Ended)
        {
            return;
        }
        leg.Ended = true;
        var call = leg.Call;
        call.Touched = at;
        if (outcome != LegOutcome.Unknown)
        {
            call.LastOutcome = outcome;
        }
        if (call.Legs.Any(l => !l.Ended))
        {
            return; // another leg toward the same extension is still there (Local + phone, or a second device)
        }

        // How the last leg went matters only while the call rings: cause 26, or a queue that may ring again.
        var trigger = call.Phase != CallPhase.Ringing ? CallTrigger.LegsGone
            : outcome == LegOutcome.AnsweredElsewhere ? CallTrigger.AnsweredElsewhere
            : callerMayRingAgain && options.QueueRetryGrace > TimeSpan.Zero ? CallTrigger.LegsGoneCallerWaits
            : CallTrigger.LegsGone;
        Move(call, trigger, at, changes, outcome: LegOutcome.Completed);
    }

    private void OnCallerHungUp(CallerHungUp fact, List<CallInfo> changes)
    {
        if (!_byCallId.TryGetValue(fact.CallId, out var calls))
        {
            return;
        }
        foreach (var call in calls)
        {
            call.Touched = fact.At;
            if (call.Phase is CallPhase.Ringing or CallPhase.WaitingForRetry)
            {
                call.LastOutcome ??= LegOutcome.Cancelled; // the caller gave up, unless a leg said why
            }
            Move(call, CallTrigger.CallerHungUp, fact.At, changes, outcome: LegOutcome.Completed);
        }
    }

    private void OnCallerStoppedWaiting(CallerStoppedWaiting fact, List<CallInfo> changes)
    {
        if (!_byCallId.TryGetValue(fact.CallId, out var calls))
        {
            return;
        }
        foreach (var call in calls)
        {
            Move(call, CallTrigger.CallerStoppedWaiting, fact.At, changes);
        }
    }

    private void OnResynced(SourceResynced fact, List<CallInfo> changes)
    {
        var present = new HashSet<string>(fact.Legs.Select(l => l.Leg.LegId), StringComparer.Ordinal);
        var gone = _legs.Values
            .Where(l => !l.Ended && l.Source is CallSource.Ari or CallSource.Ami && !present.Contains(l.Id))
            .Select(l => l.Id)
            .ToList();
        foreach (var legId in gone)
        {
            // It ended while the source was away; nobody can tell how. The caller is not waiting any more for it either.
            OnLegEnded(legId, LegOutcome.Unknown, callerMayRingAgain: false, fact.At, changes);
        }
        foreach (var snapshot in fact.Legs)
        {
            OnLegRinging(snapshot.Leg, changes);
            if (snapshot.Answered)
            {
                OnLegAnswered(snapshot.Leg.LegId, fact.At, changes);
            }
        }
    }

    private void OnTick(DateTimeOffset now, List<CallInfo> changes)
    {
        List<TrackedCall>? forget = null;
        foreach (var call in _calls.Values)
        {
            if (call.Phase == CallPhase.WaitingForRetry && call.RetryUntil <= now)
            {
                Move(call, CallTrigger.RetryGraceOver, call.RetryUntil, changes);
            }
            else if (call.Info.IsActive && HookReportOverdue(call, now))
            {
                // The dialplan never reported its end (a hangup handler missing or a lost request).
                Expire(call, now, changes);
            }
            else if (call.Info.IsActive && now - call.Touched >= options.StaleCallTimeout)
            {
                Expire(call, now, changes);
            }
            else if (!call.Info.IsActive && now - call.Info.EndedAt >= options.EndedCallRetention)
            {
                (forget ??= []).Add(call);
            }
        }
        foreach (var call in forget ?? [])
        {
            Forget(call);
        }
        ForgetUnusedTransfers(now);
    }

    /// <summary>The call as <paramref name="fact"/> says who talks to whom.</summary>
    private CallInfo WithParties(CallInfo info, LegRinging fact)
    {
        var (direction, remote, transfer) = Parties(fact);
        return info with
        {
            Direction = direction,
            RemoteNumber = remote.Number,
            RemoteName = _colleagueNames.TryGetValue(remote.Number, out var name) ? name : remote.Name,
            Transfer = transfer ?? info.Transfer,
        };
    }

    /// <summary>
    /// Who the extension talks to, from a ringing leg — the one place that tells inbound, outbound and internal calls apart:
    /// <list type="bullet">
    /// <item>the extension's phone dials: outbound, or internal when the dialled party is a colleague;</item>
    /// <item>a colleague's phone rings it while the call's caller is someone else: the consultation of an attended transfer
    /// (internal, the colleague; the waiting caller in <see cref="CallTransfer.CustomerNumber"/>);</item>
    /// <item>otherwise the caller rings it: inbound, or internal when the caller is a colleague; a blind transfer
    /// of this call to this extension a moment ago says where it came from.</item>
    /// </list>
    /// </summary>
    private (CallDirection Direction, Party Remote, CallTransfer? Transfer) Parties(LegRinging fact)
    {
        if (fact.Outbound)
        {
            var dialled = fact.Party ?? new Party("", "", IsPhone: false);
            return (IsColleague(dialled) ? CallDirection.Internal : CallDirection.Outbound, dialled, null);
        }
        if (fact.Party is { IsPhone: true } colleague && colleague.Number.Length > 0 && colleague.Number != fact.CallerNumber && fact.CallerNumber.Length > 0)
        {
            return (CallDirection.Internal, colleague,
                new CallTransfer(TransferKind.Attended, colleague.Number, fact.Extension, Completed: false, fact.CallerNumber, fact.CallerName));
        }
        var caller = new Party(fact.CallerNumber, fact.CallerName, fact.Party is { IsPhone: true } p && p.Number == fact.CallerNumber);
        var key = new CallKey(fact.CallId, fact.Extension);
        var transfer = _blindTransfers.Remove(key, out var blind) ? blind.Transfer : null;
        return (IsColleague(caller) ? CallDirection.Internal : CallDirection.Inbound, caller, transfer);
    }

    private bool IsColleague(Party party) =>
        party.IsPhone || (party.Number.Length > 0 && (_extensions.Contains(party.Number) || _colleagueNames.ContainsKey(party.Number)));

    private void OnTransferred(CallTransferred fact, List<CallInfo> changes)
    {
        var transfer = new CallTransfer(fact.Kind, fact.From, fact.To, Completed: true, fact.CustomerNumber, fact.CustomerName);
        foreach (var call in _byCallId.GetValueOrDefault(fact.CallId) ?? [])
        {
            if (!call.Info.IsActive)
            {
                continue;
            }
            call.Touched = fact.At;
            var extension = call.Key.Extension;
            if (string.Equals(extension, fact.To, StringComparison.OrdinalIgnoreCase) && call.Info.Transfer is { Completed: false })
            {
                // The consultation's card becomes the customer's, in whatever state it is (ringing or answered).
                var customer = new Party(fact.CustomerNumber, fact.CustomerName, IsPhone: false);
                Change(call, call.Info with
                {
                    CallerNumber = customer.Number,
                    CallerName = customer.Name,
                    Direction = IsColleague(customer) ? CallDirection.Internal : CallDirection.Inbound,
                    RemoteNumber = customer.Number,
                    RemoteName = customer.Name,
                    Transfer = transfer,
                }, changes);
            }
            else if (string.Equals(extension, fact.From, StringComparison.OrdinalIgnoreCase))
            {
                Move(call, CallTrigger.TransferredAway, fact.At, changes, LegOutcome.Transferred, call.Info with { Transfer = transfer });
            }
        }
        if (fact.Kind == TransferKind.Blind && fact.To is not null)
        {
            _blindTransfers[new CallKey(fact.CallId, fact.To)] = (transfer, fact.At); // the leg toward To comes next
        }
    }

    /// <summary>A blind transfer whose new leg never came (To was not monitored, or the dial failed) is forgotten.</summary>
    private void ForgetUnusedTransfers(DateTimeOffset now)
    {
        foreach (var (key, blind) in _blindTransfers)
        {
            if (now - blind.At >= options.EndedCallRetention)
            {
                _blindTransfers.Remove(key);
            }
        }
    }

    /// <summary>
    /// The live leg of <paramref name="callId"/> toward <paramref name="extension"/> that call control acts on,
    /// with the call; null when there is none. The phone's own channel comes before a Local leg that leads to it.
    /// </summary>
    public CallLeg? FindLeg(string callId, string extension)
    {
        if (!_calls.TryGetValue(new CallKey(callId, extension), out var call) || !call.Info.IsActive)
        {
            return null;
        }
        var leg = call.Legs.Where(l => !l.Ended).OrderBy(l => l.Kind == LegKind.Device ? 0 : 1).ThenByDescending(l => l.Answered).FirstOrDefault();
        return leg is null ? null : new CallLeg(call.Info, leg.Id, leg.Channel);
    }

    /// <summary>A call only the dialplan hook reports (no resync will ever close it) that rang or talked longer than the limits allow.</summary>
    private bool HookReportOverdue(TrackedCall call, DateTimeOffset now) =>
        hookLimits is { } limits
        && call.Legs.Count > 0
        && call.Legs.All(l => l.Source == CallSource.Hook)
        && (call.Info.State == CallState.Answered
            ? now - call.Info.AnsweredAt >= limits.MaxTalk
            : now - call.Touched >= limits.MaxRing);

    private void Expire(TrackedCall call, DateTimeOffset now, List<CallInfo> changes) =>
        Move(call, CallTrigger.Expired, now, changes, outcome: LegOutcome.Unknown);

    /// <summary>
    /// Moves the call as <see cref="CallTransitions"/> says (false, and nothing changes, when the table has no row), and
    /// writes what the state it enters means: when it was answered or ended, and why (<paramref name="outcome"/> for an end
    /// after an answer; the last leg's for a miss). <paramref name="basis"/> carries other news of the same fact.
    /// </summary>
    private bool Move(TrackedCall call, CallTrigger trigger, DateTimeOffset at, List<CallInfo> changes,
        LegOutcome? outcome = null, CallInfo? basis = null)
    {
        if (!CallTransitions.TryNext(call.Phase, trigger, out var to))
        {
            return false;
        }
        var info = basis ?? call.Info;
        var next = to switch
        {
            CallPhase.Ringing => info with { EndedAt = null, Outcome = null },
            CallPhase.WaitingForRetry => info,
            CallPhase.Answered => info with { AnsweredAt = at, EndedAt = null, Outcome = null },
            CallPhase.Ended => info with { EndedAt = at, Outcome = outcome ?? LegOutcome.Unknown },
            CallPhase.Missed => info with { EndedAt = at, Outcome = call.LastOutcome ?? LegOutcome.Unknown },
            CallPhase.AnsweredElsewhere => info with { EndedAt = at, Outcome = LegOutcome.AnsweredElsewhere },
            _ => throw new ArgumentOutOfRangeException(nameof(trigger), trigger, null),
        };
        call.Phase = to;
        call.RetryUntil = to == CallPhase.WaitingForRetry ? at + options.QueueRetryGrace : default;
        next = next with { State = CallTransitions.Shown(to) };
        if (next != call.Info)
        {
            Change(call, next, changes);
        }
        return true;
    }

    private static void Change(TrackedCall call, CallInfo next, List<CallInfo> changes)
    {
        call.Info = next;
        changes.Add(next);
    }

    private void Forget(TrackedCall call)
    {
        // Its legs go too: a late event about one of them is then ignored, while a genuinely new leg
        // toward the extension (a transfer back, say) starts a new ringing call.
        var siblings = _byCallId[call.Key.CallId];
        _calls.Remove(call.Key);
        siblings.Remove(call);
        if (siblings.Count == 0)
        {
            _byCallId.Remove(call.Key.CallId);
        }
        foreach (var leg in call.Legs)
        {
            _legs.Remove(leg.Id);
        }
    }

    private readonly record struct CallKey(string CallId, string Extension);

    private sealed class TrackedCall(CallKey key, CallInfo info, DateTimeOffset touched)
    {
        public CallKey Key { get; } = key;

        public CallInfo Info { get; set; } = info;

        public CallPhase Phase { get; set; } = CallPhase.Ringing;

        /// <summary>In <see cref="CallPhase.WaitingForRetry"/>: when the call is missed unless the queue rings again.</summary>
        public DateTimeOffset RetryUntil { get; set; }

        public List<Leg> Legs { get; } = new(2);

        public DateTimeOffset Touched { get; set; } = touched;

        /// <summary>How the last leg that said so ended: why the call is missed, when it is.</summary>
        public LegOutcome? LastOutcome { get; set; }

        /// <summary>The extension's phone is the calling side (outbound or internal call it placed).</summary>
        public bool Calling { get; init; }
    }

    private sealed class Leg(string id, LegKind kind, CallSource source, TrackedCall call)
    {
        public string Id { get; } = id;

        public LegKind Kind { get; } = kind;

        public CallSource Source { get; } = source;

        public TrackedCall Call { get; } = call;

        public bool Answered { get; set; }

        public bool Ended { get; set; }

        public string? Channel { get; init; }
    }
}
