using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

public class CallTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly CallTracker _tracker = new(new GatewayOptions { QueueRetryGrace = TimeSpan.FromSeconds(8) });
    private readonly List<CallInfo> _changes = [];

    private void Apply(CallFact fact) => _changes.AddRange(_tracker.Apply(fact));

    private static LegRinging Ring(string leg, string ext = "1008", string call = "c1", double at = 0, LegKind kind = LegKind.Device, string number = "09123456789") =>
        new(T0.AddSeconds(at), CallSource.Ari, call, leg, ext, kind, number, "");

    private string States(string? extension = null) =>
        string.Join(" ", _changes.Where(c => extension is null || c.Extension == extension).Select(c => c.State.ToString()));

    [Fact]
    public void Answered_call_goes_ringing_answered_ended()
    {
        Apply(Ring("L1"));
        Apply(new LegAnswered(T0.AddSeconds(3), "L1"));
        Apply(new LegEnded(T0.AddSeconds(5), "L1", LegOutcome.Completed));

        Assert.Equal("Ringing Answered Ended", States());
        var ended = _changes[^1];
        Assert.Equal(T0, ended.StartedAt);
        Assert.Equal(T0.AddSeconds(3), ended.AnsweredAt);
        Assert.Equal(T0.AddSeconds(5), ended.EndedAt);
        Assert.Empty(_tracker.ActiveCalls);
    }

    [Fact]
    public void Repeated_facts_are_one_change()
    {
        Apply(Ring("L1"));
        Apply(Ring("L1", at: 0.1));
        Apply(new LegAnswered(T0.AddSeconds(3), "L1"));
        Apply(new LegAnswered(T0.AddSeconds(3), "L1"));
        Apply(new LegEnded(T0.AddSeconds(5), "L1", LegOutcome.Completed));
        Apply(new LegEnded(T0.AddSeconds(5), "L1", LegOutcome.Completed));
        Apply(new CallerHungUp(T0.AddSeconds(5), "c1"));

        Assert.Equal("Ringing Answered Ended", States());
    }

    [Theory]
    [InlineData(LegOutcome.Busy)]
    [InlineData(LegOutcome.NoAnswer)]
    [InlineData(LegOutcome.Cancelled)]
    public void Unanswered_leg_makes_a_missed_call_with_its_outcome(LegOutcome outcome)
    {
        Apply(Ring("L1"));
        Apply(new LegEnded(T0.AddSeconds(6), "L1", outcome));

        Assert.Equal("Ringing Missed", States());
        Assert.Equal(outcome, _changes[^1].Outcome);
    }

    [Fact]
    public void Caller_hanging_up_while_ringing_is_missed_even_before_the_leg_ends()
    {
        Apply(Ring("L1"));
        Apply(new CallerHungUp(T0.AddSeconds(2), "c1"));
        Apply(new LegEnded(T0.AddSeconds(2), "L1", LegOutcome.Cancelled));

        Assert.Equal("Ringing Missed", States());
        Assert.Equal(LegOutcome.Cancelled, _changes[^1].Outcome);
    }

    [Fact]
    public void Two_calls_at_once_on_one_extension_are_two_calls()
    {
        Apply(Ring("L1", call: "c1", number: "02112345678"));
        Apply(Ring("L2", call: "c2", number: "09123456789"));
        Apply(new LegAnswered(T0.AddSeconds(2), "L2"));
        Apply(new LegEnded(T0.AddSeconds(3), "L1", LegOutcome.Cancelled));
        Apply(new LegEnded(T0.AddSeconds(9), "L2", LegOutcome.Completed));

        Assert.Equal(["c1 Ringing", "c2 Ringing", "c2 Answered", "c1 Missed", "c2 Ended"], _changes.Select(c => $"{c.Id} {c.State}"));
    }

    [Fact]
    public void Ring_group_answer_makes_the_other_extension_answered_elsewhere()
    {
        Apply(Ring("L8", "1008"));
        Apply(Ring("L9", "1009"));
        Apply(new LegAnswered(T0.AddSeconds(2), "L8"));
        Apply(new LegEnded(T0.AddSeconds(2), "L9", LegOutcome.AnsweredElsewhere));
        Apply(new LegEnded(T0.AddSeconds(9), "L8", LegOutcome.Completed));

        Assert.Equal("Ringing Answered Ended", States("1008"));
        Assert.Equal("Ringing AnsweredElsewhere", States("1009"));
        Assert.Equal("1008", _changes.Single(c => c.State == CallState.AnsweredElsewhere).AnsweredBy);
    }

    [Fact]
    public void Cause_26_without_a_monitored_winner_is_answered_elsewhere_too()
    {
        Apply(Ring("L9", "1009"));
        Apply(new LegEnded(T0.AddSeconds(2), "L9", LegOutcome.AnsweredElsewhere));

        Assert.Equal("Ringing AnsweredElsewhere", States());
    }

    [Fact]
    public void Queue_through_a_local_channel_is_one_call_per_extension()
    {
        Apply(Ring("Local1", kind: LegKind.Local));
        Apply(Ring("Phone", kind: LegKind.Device));
        Apply(new LegAnswered(T0.AddSeconds(3), "Phone"));
        Apply(new LegAnswered(T0.AddSeconds(3), "Local1"));
        Apply(new LegEnded(T0.AddSeconds(9), "Local1", LegOutcome.Completed));
        Apply(new LegEnded(T0.AddSeconds(9), "Phone", LegOutcome.Completed));

        Assert.Equal("Ringing Answered Ended", States());
    }

    [Fact]
    public void A_local_leg_answered_by_its_dialplan_is_not_the_agent_answering()
    {
        Apply(Ring("Local1", kind: LegKind.Local));
        Apply(Ring("Phone", kind: LegKind.Device));
        Apply(new LegEnded(T0.AddSeconds(20), "Phone", LegOutcome.NoAnswer));
        Apply(new LegAnswered(T0.AddSeconds(20), "Local1")); // voicemail picks up behind the Local channel
        Apply(new LegEnded(T0.AddSeconds(40), "Local1", LegOutcome.Completed));

        Assert.Equal("Ringing Missed", States());
    }

    [Fact]
    public void A_queue_ringing_the_agent_again_within_the_grace_is_still_one_call_that_ends_missed()
    {
        Apply(Ring("Try1"));
        Apply(new LegEnded(T0.AddSeconds(15), "Try1", LegOutcome.NoAnswer, CallerMayRingAgain: true));
        Apply(new ClockTick(T0.AddSeconds(18)));
        Apply(Ring("Try2", at: 20));
        Apply(new LegEnded(T0.AddSeconds(35), "Try2", LegOutcome.NoAnswer, CallerMayRingAgain: true));
        Apply(new ClockTick(T0.AddSeconds(40)));
        Assert.Equal("Ringing", States());

        Apply(new ClockTick(T0.AddSeconds(43)));

        Assert.Equal("Ringing Missed", States());
        Assert.Equal(T0.AddSeconds(43), _changes[^1].EndedAt);
        Assert.Equal(LegOutcome.NoAnswer, _changes[^1].Outcome);
    }

    [Fact]
    public void A_queued_caller_who_hangs_up_during_the_grace_is_missed_at_once()
    {
        Apply(Ring("Try1"));
        Apply(new LegEnded(T0.AddSeconds(15), "Try1", LegOutcome.NoAnswer, CallerMayRingAgain: true));
        Apply(new CallerHungUp(T0.AddSeconds(16), "c1"));

        Assert.Equal("Ringing Missed", States());
        Assert.Equal(T0.AddSeconds(16), _changes[^1].EndedAt);
    }

    [Fact]
    public void A_queued_caller_answered_on_the_second_ring_is_answered()
    {
        Apply(Ring("Try1"));
        Apply(new LegEnded(T0.AddSeconds(15), "Try1", LegOutcome.NoAnswer, CallerMayRingAgain: true));
        Apply(Ring("Try2", at: 20));
        Apply(new LegAnswered(T0.AddSeconds(22), "Try2"));
        Apply(new ClockTick(T0.AddSeconds(60)));

        Assert.Equal("Ringing Answered", States());
    }

    [Fact]
    public void Resync_closes_legs_that_vanished_and_opens_legs_it_finds()
    {
        Apply(Ring("Old", call: "c1"));
        Apply(Ring("Kept", call: "c2"));

        Apply(new SourceResynced(T0.AddSeconds(30), CallSource.Ari,
        [
            new LegSnapshot(Ring("Kept", call: "c2"), Answered: true),
            new LegSnapshot(Ring("New", call: "c3"), Answered: false),
        ]));

        Assert.Equal(["c1 Ringing", "c2 Ringing", "c1 Missed", "c2 Answered", "c3 Ringing"], _changes.Select(c => $"{c.Id} {c.State}"));
        Assert.Equal(["c2", "c3"], _tracker.ActiveCalls.Select(c => c.Id).Order());
    }

    [Fact]
    public void Ended_calls_are_forgotten_after_the_retention_window_and_late_events_are_ignored_before()
    {
        Apply(Ring("L1"));
        Apply(new LegEnded(T0.AddSeconds(5), "L1", LegOutcome.Cancelled));
        Apply(new LegAnswered(T0.AddSeconds(6), "L1"));
        Apply(Ring("L1", at: 6));
        Assert.Equal("Ringing Missed", States());

        Apply(new ClockTick(T0.AddMinutes(3)));
        // Forgotten with its legs: the same leg is now news, a new ringing call.
        Apply(Ring("L1", at: 181));

        Assert.Equal("Ringing Missed Ringing", States());
        Assert.Equal(T0.AddSeconds(181), _changes[^1].StartedAt);
    }

    [Fact]
    public void A_call_nobody_hears_about_for_hours_is_closed()
    {
        Apply(Ring("L1"));
        Apply(new LegAnswered(T0.AddSeconds(2), "L1"));

        Apply(new ClockTick(T0.AddHours(5)));

        Assert.Equal("Ringing Answered Ended", States());
    }

    [Fact]
    public void Anonymous_caller_is_kept_as_presented_for_the_resolver_to_judge()
    {
        Apply(Ring("L1", number: "anonymous"));

        Assert.Equal(("anonymous", "anonymous"), (_changes.Single().CallerNumber, _changes.Single().LookupNumber));
        Assert.Null(_changes.Single().NormalizedNumber); // normalized once, by the resolver, when published
    }
}
