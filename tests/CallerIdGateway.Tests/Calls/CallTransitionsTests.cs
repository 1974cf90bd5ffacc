using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

public class CallTransitionsTests
{
    /// <summary>Every legal move, written out: a row added to or dropped from the table fails here until it is listed.</summary>
    private static readonly string[] Expected =
    [
        "Ringing + Answered -> Answered",
        "Ringing + AnsweredElsewhere -> AnsweredElsewhere",
        "Ringing + LegsGone -> Missed",
        "Ringing + LegsGoneCallerWaits -> WaitingForRetry",
        "Ringing + CallerHungUp -> Missed",
        "Ringing + Expired -> Missed",
        "WaitingForRetry + Rung -> Ringing",
        "WaitingForRetry + AnsweredElsewhere -> AnsweredElsewhere",
        "WaitingForRetry + CallerHungUp -> Missed",
        "WaitingForRetry + CallerStoppedWaiting -> Missed",
        "WaitingForRetry + RetryGraceOver -> Missed",
        "WaitingForRetry + Expired -> Missed",
        "Answered + LegsGone -> Ended",
        "Answered + CallerHungUp -> Ended",
        "Answered + Expired -> Ended",
        "Answered + TransferredAway -> Ended",
        "Missed + Rung -> Ringing",
        "Missed + Answered -> Answered",
    ];

    [Fact]
    public void The_table_holds_exactly_the_listed_transitions()
    {
        var legal = from phase in Enum.GetValues<CallPhase>()
                    from trigger in Enum.GetValues<CallTrigger>()
                    where CallTransitions.TryNext(phase, trigger, out _)
                    select $"{phase} + {trigger} -> {Next(phase, trigger)}";

        Assert.Equal(Expected.Order(), legal.Order());
    }

    [Theory]
    [InlineData(CallPhase.Ended, CallTrigger.Answered)] // a late answer of a call that is over
    [InlineData(CallPhase.Ended, CallTrigger.Rung)]
    [InlineData(CallPhase.AnsweredElsewhere, CallTrigger.Answered)]
    [InlineData(CallPhase.Ringing, CallTrigger.CallerStoppedWaiting)] // still rung: the queue leaving changes nothing yet
    [InlineData(CallPhase.Ringing, CallTrigger.Rung)] // the same call ringing on a second leg
    [InlineData(CallPhase.Answered, CallTrigger.AnsweredElsewhere)] // a sibling cannot take a call this extension answered
    [InlineData(CallPhase.Missed, CallTrigger.LegsGone)]
    public void A_move_the_table_does_not_list_is_refused(CallPhase from, CallTrigger trigger) =>
        Assert.False(CallTransitions.TryNext(from, trigger, out _));

    [Fact]
    public void Waiting_for_a_queue_retry_shows_as_ringing_and_every_other_state_as_itself()
    {
        Assert.Equal(CallState.Ringing, CallTransitions.Shown(CallPhase.WaitingForRetry));
        foreach (var phase in Enum.GetValues<CallPhase>().Where(p => p != CallPhase.WaitingForRetry))
        {
            Assert.Equal(phase.ToString(), CallTransitions.Shown(phase).ToString());
        }
    }

    [Fact]
    public void A_late_answer_of_a_missed_queue_call_is_ignored_by_the_tracker()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        var tracker = new CallTracker(new GatewayOptions { QueueRetryGrace = TimeSpan.FromSeconds(8) });
        tracker.Apply(new LegRinging(t0, CallSource.Ami, "c1", "L1", "1008", LegKind.Device, "09123456789", ""));
        tracker.Apply(new LegEnded(t0.AddSeconds(2), "L1", LegOutcome.NoAnswer, CallerMayRingAgain: true));

        var missed = Assert.Single(tracker.Apply(new CallerStoppedWaiting(t0.AddSeconds(3), "c1")));
        Assert.Equal((CallState.Missed, LegOutcome.NoAnswer), (missed.State, missed.Outcome));
        Assert.Empty(tracker.Apply(new LegAnswered(t0.AddSeconds(4), "L1"))); // its leg is gone
        Assert.Empty(tracker.Apply(new CallerStoppedWaiting(t0.AddSeconds(5), "c1"))); // Missed has no row for it
    }

    private static CallPhase Next(CallPhase phase, CallTrigger trigger) =>
        CallTransitions.TryNext(phase, trigger, out var to) ? to : throw new InvalidOperationException();
}
