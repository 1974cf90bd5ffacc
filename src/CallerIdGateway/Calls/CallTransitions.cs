using System.Collections.Frozen;

namespace CallerIdGateway.Calls;

/// <summary>
/// Where a call on one extension is, as the tracker sees it: the public <see cref="CallState"/>s, plus
/// <see cref="WaitingForRetry"/>, which shows as ringing.
/// </summary>
public enum CallPhase
{
    Ringing,
    /// <summary>
    /// Every leg is gone but the caller still waits in a queue that may ring the agent again: still ringing on the
    /// card, missed unless rung again before the queue retry grace runs out.
    /// </summary>
    WaitingForRetry,
    Answered,
    Ended,
    Missed,
    AnsweredElsewhere,
}

/// <summary>What happened to a call, as the tracker reads it from the facts of its legs and its caller.</summary>
public enum CallTrigger
{
    /// <summary>A leg toward the extension rings (a new leg of a call already known).</summary>
    Rung,
    /// <summary>A leg toward the extension was answered.</summary>
    Answered,
    /// <summary>Another extension took the call (a sibling answered, or the leg ended with cause 26).</summary>
    AnsweredElsewhere,
    /// <summary>The last leg toward the extension is gone.</summary>
    LegsGone,
    /// <summary>The last leg is gone, and the caller waits in a queue that may ring again.</summary>
    LegsGoneCallerWaits,
    /// <summary>The caller's channel is gone.</summary>
    CallerHungUp,
    /// <summary>The caller left the queue: no further ring is coming.</summary>
    CallerStoppedWaiting,
    /// <summary>The queue retry grace ran out without a new ring.</summary>
    RetryGraceOver,
    /// <summary>Nobody heard of the call for too long (a lost hangup, an overdue dialplan hook).</summary>
    Expired,
    /// <summary>The extension handed the caller on to another (blind or attended transfer).</summary>
    TransferredAway,
}

/// <summary>
/// The legal moves of a call, one row each (wazo-calld's <c>state.py</c> is the model): a trigger a state has no row
/// for is ignored, as repeated and late facts must be. A new kind of change (call control holding a call, say) is a
/// new trigger and its rows here. What a move writes on the call (its times and outcome) follows from the state it
/// enters (<see cref="CallTracker"/>).
/// </summary>
public static class CallTransitions
{
    public static readonly IReadOnlyList<(CallPhase From, CallTrigger Trigger, CallPhase To)> Rows =
    [
        (CallPhase.Ringing, CallTrigger.Answered, CallPhase.Answered),
        (CallPhase.Ringing, CallTrigger.AnsweredElsewhere, CallPhase.AnsweredElsewhere),
        (CallPhase.Ringing, CallTrigger.LegsGone, CallPhase.Missed),
        (CallPhase.Ringing, CallTrigger.LegsGoneCallerWaits, CallPhase.WaitingForRetry),
        (CallPhase.Ringing, CallTrigger.CallerHungUp, CallPhase.Missed),
        (CallPhase.Ringing, CallTrigger.Expired, CallPhase.Missed),

        (CallPhase.WaitingForRetry, CallTrigger.Rung, CallPhase.Ringing),
        (CallPhase.WaitingForRetry, CallTrigger.AnsweredElsewhere, CallPhase.AnsweredElsewhere),
        (CallPhase.WaitingForRetry, CallTrigger.CallerHungUp, CallPhase.Missed),
        (CallPhase.WaitingForRetry, CallTrigger.CallerStoppedWaiting, CallPhase.Missed),
        (CallPhase.WaitingForRetry, CallTrigger.RetryGraceOver, CallPhase.Missed),
        (CallPhase.WaitingForRetry, CallTrigger.Expired, CallPhase.Missed),

        (CallPhase.Answered, CallTrigger.LegsGone, CallPhase.Ended),
        (CallPhase.Answered, CallTrigger.CallerHungUp, CallPhase.Ended),
        (CallPhase.Answered, CallTrigger.Expired, CallPhase.Ended),
        (CallPhase.Answered, CallTrigger.TransferredAway, CallPhase.Ended),

        // Reported missed, then rung again (a queue retry slower than the grace) or a leg still there answered.
        (CallPhase.Missed, CallTrigger.Rung, CallPhase.Ringing),
        (CallPhase.Missed, CallTrigger.Answered, CallPhase.Answered),
    ];

    private static readonly FrozenDictionary<(CallPhase, CallTrigger), CallPhase> Table =
        Rows.ToFrozenDictionary(r => (r.From, r.Trigger), r => r.To);

    /// <summary>The state <paramref name="trigger"/> moves a call in <paramref name="from"/> to; false when it has no row (ignored).</summary>
    public static bool TryNext(CallPhase from, CallTrigger trigger, out CallPhase to) => Table.TryGetValue((from, trigger), out to);

    /// <summary>How a state shows on the card and the wire.</summary>
    public static CallState Shown(CallPhase phase) => phase switch
    {
        CallPhase.Ringing or CallPhase.WaitingForRetry => CallState.Ringing,
        CallPhase.Answered => CallState.Answered,
        CallPhase.Ended => CallState.Ended,
        CallPhase.Missed => CallState.Missed,
        CallPhase.AnsweredElsewhere => CallState.AnsweredElsewhere,
        _ => throw new ArgumentOutOfRangeException(nameof(phase), phase, null),
    };
}
