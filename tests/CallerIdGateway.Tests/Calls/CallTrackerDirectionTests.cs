using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

/// <summary>Inbound, outbound and internal calls: who the tracker says the extension talks to.</summary>
public class CallTrackerDirectionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly List<CallInfo> _changes = [];
    private CallTracker _tracker = new(new GatewayOptions { MonitoredExtensions = ["1008"] });

    private void Apply(CallFact fact) => _changes.AddRange(_tracker.Apply(fact));

    private static LegRinging Dials(string number, bool isPhone = false, string leg = "P1008") =>
        new(T0, CallSource.Ami, leg, leg, "1008", LegKind.Device, "1008", "") { Outbound = true, Party = new Party(number, "", isPhone) };

    [Fact]
    public void An_outbound_call_rings_until_the_far_end_answers_and_shows_the_dialled_customer()
    {
        Apply(Dials("09123456789"));
        Apply(new LegAnswered(T0.AddSeconds(2), "P1008"));
        Apply(new LegEnded(T0.AddSeconds(5), "P1008", LegOutcome.Completed));
        Apply(new CallerHungUp(T0.AddSeconds(5), "P1008"));

        Assert.Equal(["Ringing", "Answered", "Ended"], _changes.Select(c => c.State.ToString()));
        Assert.All(_changes, c => Assert.Equal((CallDirection.Outbound, "09123456789", "09123456789"), (c.Direction, c.RemoteNumber, c.LookupNumber)));
    }

    [Theory]
    [InlineData(LegOutcome.Busy)]
    [InlineData(LegOutcome.NoAnswer)]
    [InlineData(LegOutcome.Cancelled)]
    public void An_outbound_call_nobody_answers_is_not_answered_with_its_outcome(LegOutcome outcome)
    {
        Apply(Dials("09123456789"));
        Apply(new LegEnded(T0.AddSeconds(9), "P1008", outcome));
        Apply(new CallerHungUp(T0.AddSeconds(9), "P1008"));

        Assert.Equal(["Ringing", "Missed"], _changes.Select(c => c.State.ToString()));
        Assert.Equal(outcome, _changes[^1].Outcome);
    }

    [Fact]
    public void A_click_to_call_leg_that_dials_another_number_than_its_caller_id_changes_the_card_to_it()
    {
        Apply(Dials("02112345678"));
        Apply(Dials("09123456789"));

        Assert.Equal(["02112345678", "09123456789"], _changes.Select(c => c.RemoteNumber));
        Assert.All(_changes, c => Assert.Equal(CallState.Ringing, c.State));
    }

    [Fact]
    public void A_colleagues_phone_calling_is_internal_and_not_looked_up()
    {
        Apply(new LegRinging(T0, CallSource.Ari, "c1", "L1", "1008", LegKind.Device, "1009", "Support 1009") { Party = new Party("1009", "Support 1009", IsPhone: true) });

        var call = Assert.Single(_changes);
        Assert.Equal((CallDirection.Internal, "1009", "Support 1009", null), (call.Direction, call.RemoteNumber, call.RemoteName, call.LookupNumber));
    }

    [Fact]
    public void A_colleague_in_the_directory_is_internal_with_the_directorys_name_even_through_a_trunk()
    {
        _tracker = new CallTracker(new GatewayOptions { MonitoredExtensions = ["1008"], Colleagues = new() { ["2010"] = "انبار" } });

        Apply(new LegRinging(T0, CallSource.Hook, "c1", "L1", "1008", LegKind.Device, "2010", "Branch") { Party = new Party("2010", "Branch", IsPhone: false) });
        Apply(Dials("2010", leg: "P2"));

        Assert.All(_changes, c => Assert.Equal((CallDirection.Internal, "2010", "انبار"), (c.Direction, c.RemoteNumber, c.RemoteName)));
    }

    [Fact]
    public void The_phone_that_dials_a_colleague_is_not_answered_elsewhere_when_the_colleague_answers()
    {
        _tracker = new CallTracker(new GatewayOptions { MonitoredExtensions = ["1008", "1009"] });
        Apply(new LegRinging(T0, CallSource.Ari, "P1009", "P1009", "1009", LegKind.Device, "1009", "") { Outbound = true, Party = new Party("1008", "", IsPhone: true) });
        Apply(new LegRinging(T0, CallSource.Ari, "P1009", "L1008", "1008", LegKind.Device, "1009", "") { Party = new Party("1009", "", IsPhone: true) });
        Apply(new LegAnswered(T0.AddSeconds(2), "L1008"));
        Apply(new LegAnswered(T0.AddSeconds(2), "P1009"));

        Assert.Equal(["1009 Ringing Internal", "1008 Ringing Internal", "1008 Answered Internal", "1009 Answered Internal"],
            _changes.Select(c => $"{c.Extension} {c.State} {c.Direction}"));
    }
}
