using CallerIdGateway.Calls;
using CallerIdGateway.Dialplan;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Sources;

public class CallHookFactsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly MonitoredExtensions Monitored = new(["1008"]);

    private static CallHookReport Ring(string channel = "PJSIP/1008-0000002a") => new()
    {
        Call = "1732412345.40",
        Leg = "1732412345.42",
        Channel = channel,
        Number = "12345678",
        Name = "Khalili",
    };

    private static (IReadOnlyList<CallFact> Facts, Dictionary<string, string[]>? Errors) Create(CallHookEvent kind, CallHookReport report) =>
        CallHookFacts.Create(kind, report, Monitored, At);

    [Fact]
    public void A_ring_report_is_a_ringing_leg_of_the_hook_source_with_the_extension_read_from_the_channel()
    {
        var (facts, errors) = Create(CallHookEvent.Ringing, Ring());

        Assert.Null(errors);
        var ringing = Assert.IsType<LegRinging>(Assert.Single(facts));
        Assert.Equal(new LegRinging(At, CallSource.Hook, "1732412345.40", "1732412345.42", "1008", LegKind.Device, "12345678", "Khalili"), ringing);
    }

    [Fact]
    public void A_local_channel_half_is_a_local_leg() =>
        Assert.Equal(LegKind.Local, ((LegRinging)Create(CallHookEvent.Ringing, Ring("Local/1008@queue-agents-00000003;1")).Facts[0]).Kind);

    [Fact]
    public void An_explicit_extension_works_without_a_channel()
    {
        var (facts, errors) = Create(CallHookEvent.Ringing, Ring() with { Channel = null, Extension = "1008" });

        Assert.Null(errors);
        Assert.Equal("1008", ((LegRinging)facts[0]).Extension);
    }

    [Theory]
    [InlineData("PJSIP/1009-00000001", null, "channel")]
    [InlineData(null, "1010", "extension")]
    [InlineData(null, null, "channel")]
    public void A_ring_toward_an_unmonitored_or_unknown_extension_is_refused(string? channel, string? extension, string field)
    {
        var (facts, errors) = Create(CallHookEvent.Ringing, Ring() with { Channel = channel, Extension = extension });

        Assert.Empty(facts);
        Assert.Contains(field, errors!.Keys);
    }

    [Theory]
    [InlineData(CallHookEvent.Ringing, "call")]
    [InlineData(CallHookEvent.Ringing, "leg")]
    [InlineData(CallHookEvent.Answered, "leg")]
    [InlineData(CallHookEvent.Ended, "leg")]
    [InlineData(CallHookEvent.Hangup, "call")]
    public void Each_report_names_the_ids_it_needs(CallHookEvent kind, string missing)
    {
        var report = missing == "call" ? Ring() with { Call = null } : Ring() with { Leg = null };

        var (facts, errors) = Create(kind, report);

        Assert.Empty(facts);
        Assert.Contains(missing, errors!.Keys);
    }

    [Fact]
    public void Ids_that_are_not_asterisk_ids_are_refused() =>
        Assert.Contains("leg", Create(CallHookEvent.Ended, new CallHookReport { Leg = "x y\n<script>" }).Errors!.Keys);

    [Fact]
    public void An_answer_with_the_calls_details_also_stands_in_for_a_lost_ring_report()
    {
        var (facts, _) = Create(CallHookEvent.Answered, Ring());

        Assert.Collection(facts,
            f => Assert.IsType<LegRinging>(f),
            f => Assert.Equal(new LegAnswered(At, "1732412345.42"), f));
    }

    [Fact]
    public void A_bare_answer_is_just_the_answer() =>
        Assert.Equal([new LegAnswered(At, "L1")], Create(CallHookEvent.Answered, new CallHookReport { Leg = "L1" }).Facts);

    [Fact]
    public void An_end_carries_the_outcome_and_whether_a_queue_may_ring_again() =>
        Assert.Equal([new LegEnded(At, "L1", LegOutcome.Busy, CallerMayRingAgain: true)],
            Create(CallHookEvent.Ended, new CallHookReport { Leg = "L1", Status = "BUSY", Retry = true }).Facts);

    [Fact]
    public void A_hangup_ends_the_whole_call() =>
        Assert.Equal([new CallerHungUp(At, "C1")], Create(CallHookEvent.Hangup, new CallHookReport { Call = "C1" }).Facts);

    [Theory]
    [InlineData("ANSWER", null, LegOutcome.Completed)]
    [InlineData("busy", null, LegOutcome.Busy)]
    [InlineData("NOANSWER", null, LegOutcome.NoAnswer)]
    [InlineData("CANCEL", null, LegOutcome.Cancelled)]
    [InlineData("CHANUNAVAIL", null, LegOutcome.Failed)]
    [InlineData(null, "26", LegOutcome.AnsweredElsewhere)]
    [InlineData("CANCEL", "26", LegOutcome.AnsweredElsewhere)]
    [InlineData(null, "17", LegOutcome.Busy)]
    [InlineData(null, "19", LegOutcome.NoAnswer)]
    [InlineData(null, "16", LegOutcome.Unknown)] // normal clearing: answered and hung up, or cancelled, depending on the version
    [InlineData(null, null, LegOutcome.Unknown)]
    public void Outcomes_come_from_dial_statuses_and_only_unambiguous_causes(string? status, string? cause, LegOutcome outcome) =>
        Assert.Equal(outcome, CallHookFacts.Outcome(status, cause));

    [Fact]
    public void The_same_report_twice_is_one_change_in_the_tracker()
    {
        var tracker = new CallTracker(new GatewayOptions());
        var changes = new List<CallInfo>();
        foreach (var kind in new[] { CallHookEvent.Ringing, CallHookEvent.Ringing, CallHookEvent.Answered, CallHookEvent.Answered })
        {
            foreach (var fact in Create(kind, Ring()).Facts)
            {
                changes.AddRange(tracker.Apply(fact));
            }
        }

        Assert.Equal([CallState.Ringing, CallState.Answered], changes.Select(c => c.State));
        Assert.All(changes, c => Assert.Equal(CallSource.Hook, c.Source));
    }

    [Fact]
    public void An_outbound_report_is_the_extensions_phone_dialling_the_number()
    {
        var (facts, errors) = Create(CallHookEvent.Ringing, Ring() with { Number = "09123456789", Name = null, Direction = "outbound" });

        Assert.Null(errors);
        var ringing = Assert.IsType<LegRinging>(Assert.Single(facts));
        Assert.True(ringing.Outbound);
        Assert.Equal(("1008", new Party("09123456789", "", IsPhone: false)), (ringing.CallerNumber, ringing.Party));
    }

    [Fact]
    public void An_internal_report_on_another_callers_call_is_a_colleagues_consultation()
    {
        var (facts, _) = Create(CallHookEvent.Ringing, Ring() with { Number = "1009", Name = "Support", Direction = "internal", Customer = "09123456789" });

        var ringing = Assert.IsType<LegRinging>(Assert.Single(facts));
        Assert.Equal(("09123456789", new Party("1009", "Support", IsPhone: true)), (ringing.CallerNumber, ringing.Party));
    }

    [Fact]
    public void A_report_of_a_blind_transfer_names_the_transferer_before_the_leg_rings()
    {
        var (facts, _) = Create(CallHookEvent.Ringing, Ring("PJSIP/1008-0000002b") with { Number = "09123456789", Transfer = "blind", TransferFrom = "PJSIP/1009-00000019" });

        Assert.Equal(new CallTransferred(At, "1732412345.40", TransferKind.Blind, "1009", "1008", "09123456789", "Khalili"), facts[0]);
        Assert.IsType<LegRinging>(facts[1]);
    }

    [Theory]
    [InlineData("sideways", null, "direction")]
    [InlineData(null, "warm", "transfer")]
    public void An_unknown_direction_or_transfer_kind_is_refused(string? direction, string? transfer, string field)
    {
        var (facts, errors) = Create(CallHookEvent.Ringing, Ring() with { Direction = direction, Transfer = transfer });

        Assert.Empty(facts);
        Assert.Contains(field, errors!.Keys);
    }
}
