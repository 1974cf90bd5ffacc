namespace CallerIdGateway.Calls;

// Protocol-neutral telephony facts: what the ARI, AMI and dialplan-hook sources tell the tracker.
// Every fact is idempotent: a source may repeat one (Asterisk often reports a change twice) and
// two sources may report the same leg (ARI channel id == AMI Uniqueid).

public abstract record CallFact(DateTimeOffset At);

/// <summary>
/// A leg toward a monitored extension exists and is being dialled or ringing (<see cref="Outbound"/> false), or the
/// extension's own phone is calling out (<see cref="Outbound"/> true: the leg is the calling channel).
/// <paramref name="CallId"/> is the caller's channel (AMI Linkedid); the caller is who rings, not the leg's own identity.
/// <paramref name="Channel"/> is the leg's channel name (<c>PJSIP/1008-00000016</c>) when the source knows it: what call control names in AMI actions.
/// </summary>
public sealed record LegRinging(
    DateTimeOffset At,
    CallSource Source,
    string CallId,
    string LegId,
    string Extension,
    LegKind Kind,
    string CallerNumber,
    string CallerName,
    string? Channel = null) : CallFact(At)
{
    /// <summary>The extension's phone dials: <see cref="Party"/> is the dialled party, the leg answers when the far end does.</summary>
    public bool Outbound { get; init; }

    /// <summary>
    /// Who the phone talks to directly when that is not the caller: the dialled party of an outbound leg, or a colleague's phone
    /// that calls on the caller's behalf (the consultation before an attended transfer). Null: the caller itself.
    /// </summary>
    public Party? Party { get; init; }
}

/// <summary>The other end of a leg as the PBX presented it; <paramref name="IsPhone"/>: an extension's phone channel, not a trunk.</summary>
public sealed record Party(string Number, string Name, bool IsPhone);

/// <summary>
/// A transfer of call <paramref name="CallId"/> succeeded: <paramref name="From"/> (the transferer's extension) handed the
/// caller (<paramref name="CustomerNumber"/>) on to <paramref name="To"/> (the extension dialled, when known).
/// </summary>
public sealed record CallTransferred(
    DateTimeOffset At,
    string CallId,
    TransferKind Kind,
    string From,
    string? To,
    string CustomerNumber,
    string CustomerName) : CallFact(At);

/// <summary>The leg was answered (reached Up).</summary>
public sealed record LegAnswered(DateTimeOffset At, string LegId) : CallFact(At);

/// <summary>The leg is gone. <paramref name="CallerMayRingAgain"/>: the caller still waits in a queue that may ring the agent again.</summary>
public sealed record LegEnded(DateTimeOffset At, string LegId, LegOutcome Outcome, bool CallerMayRingAgain = false) : CallFact(At);

/// <summary>The caller's channel is gone: every call with this id ends.</summary>
public sealed record CallerHungUp(DateTimeOffset At, string CallId) : CallFact(At);

/// <summary>The caller left the queue (or the dialplan moved on): no further ring is coming for this call.</summary>
public sealed record CallerStoppedWaiting(DateTimeOffset At, string CallId) : CallFact(At);

/// <summary>
/// After a (re)connect, a source reports every leg it sees now. Legs this source reported before
/// and no longer sees ended while it was away; legs it sees for the first time start ringing (or are answered).
/// </summary>
public sealed record SourceResynced(DateTimeOffset At, CallSource Source, IReadOnlyList<LegSnapshot> Legs) : CallFact(At);

/// <summary>One leg in a resync snapshot.</summary>
public sealed record LegSnapshot(LegRinging Leg, bool Answered);

/// <summary>Time passes: deadlines (queue retry grace, retention) are due.</summary>
public sealed record ClockTick(DateTimeOffset At) : CallFact(At);
