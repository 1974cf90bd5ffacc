using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

/// <summary>What call control asks the tracker: the live leg of a call on an extension.</summary>
public class CallTrackerLegTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 1, 56, 0, TimeSpan.Zero);
    private readonly CallTracker _tracker = new(new GatewayOptions());

    private static LegRinging Ring(string leg, string channel, string ext = "1008", LegKind kind = LegKind.Device) =>
        new(T0, CallSource.Ami, "1796176560.27", leg, ext, kind, "09123456789", "", channel);

    [Fact]
    public void The_phones_own_channel_is_the_leg_even_when_a_local_leg_rang_first()
    {
        _tracker.Apply(Ring("1796176560.28", "Local/1008@queue-agents-00000001;1", kind: LegKind.Local));
        _tracker.Apply(Ring("1796176560.30", "PJSIP/1008-00000016"));

        var leg = _tracker.FindLeg("1796176560.27", "1008");

        Assert.NotNull(leg);
        Assert.Equal("1796176560.30", leg.LegId);
        Assert.Equal("PJSIP/1008-00000016", leg.Channel);
        Assert.Equal(CallState.Ringing, leg.Call.State);
    }

    [Fact]
    public void A_call_on_another_extension_an_unknown_call_and_an_ended_call_have_no_leg()
    {
        _tracker.Apply(Ring("1796176560.28", "PJSIP/1008-00000016"));

        Assert.Null(_tracker.FindLeg("1796176560.27", "1009"));
        Assert.Null(_tracker.FindLeg("1796000000.1", "1008"));

        _tracker.Apply(new LegEnded(T0.AddSeconds(2), "1796176560.28", LegOutcome.NoAnswer));
        Assert.Null(_tracker.FindLeg("1796176560.27", "1008"));
    }

    [Fact]
    public void An_answered_call_gives_its_answered_leg()
    {
        _tracker.Apply(Ring("1796176569.30", "PJSIP/1008-00000018"));
        _tracker.Apply(new LegAnswered(T0.AddSeconds(1), "1796176569.30"));

        var leg = _tracker.FindLeg("1796176560.27", "1008");

        Assert.Equal(CallState.Answered, leg!.Call.State);
        Assert.Equal("PJSIP/1008-00000018", leg.Channel);
    }
}
