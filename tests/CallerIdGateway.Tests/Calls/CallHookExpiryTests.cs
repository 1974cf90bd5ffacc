using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

/// <summary>Calls only the dialplan hook reports are closed when their end report never comes.</summary>
public class CallHookExpiryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private readonly CallTracker _tracker = new(new GatewayOptions { StaleCallTimeout = TimeSpan.FromDays(1) },
        new CallHookLimits(MaxRing: TimeSpan.FromMinutes(2), MaxTalk: TimeSpan.FromHours(1)));
    private readonly List<CallInfo> _changes = [];

    private void Apply(CallFact fact) => _changes.AddRange(_tracker.Apply(fact));

    private void Tick(TimeSpan after) => Apply(new ClockTick(T0 + after));

    private static LegRinging Ring(string leg, CallSource source = CallSource.Hook, double at = 0, string ext = "1008") =>
        new(T0.AddSeconds(at), source, "c1", leg, ext, LegKind.Device, "09123456789", "");

    private string States() => string.Join(" ", _changes.Select(c => c.State.ToString()));

    [Fact]
    public void A_hook_call_that_rings_past_the_longest_ring_without_an_end_report_is_missed()
    {
        Apply(Ring("L1"));

        Tick(TimeSpan.FromSeconds(119));
        Assert.Equal("Ringing", States());

        Tick(TimeSpan.FromSeconds(120));
        Assert.Equal("Ringing Missed", States());
        Assert.Equal(T0.AddSeconds(120), _changes[^1].EndedAt);
        Assert.Empty(_tracker.ActiveCalls);
    }

    [Fact]
    public void The_longest_ring_counts_from_the_last_report_so_a_queue_ringing_again_keeps_the_call()
    {
        Apply(Ring("L1"));
        Apply(new LegEnded(T0.AddSeconds(100), "L1", LegOutcome.NoAnswer, CallerMayRingAgain: true));
        Apply(Ring("L2", at: 105));

        Tick(TimeSpan.FromSeconds(200));
        Assert.Equal("Ringing", States());

        Tick(TimeSpan.FromSeconds(225));
        Assert.Equal("Ringing Missed", States());
    }

    [Fact]
    public void An_answered_hook_call_without_an_end_report_ends_after_the_longest_talk()
    {
        Apply(Ring("L1"));
        Apply(new LegAnswered(T0.AddSeconds(5), "L1"));

        Tick(TimeSpan.FromHours(1));
        Assert.Equal("Ringing Answered", States());

        Tick(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5));
        Assert.Equal("Ringing Answered Ended", States());
        Assert.Equal(T0 + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(5), _changes[^1].EndedAt);
        Assert.Empty(_tracker.ActiveCalls);
    }

    [Fact]
    public void A_hook_call_that_ends_in_time_changes_nothing_later()
    {
        Apply(Ring("L1"));
        Apply(new LegEnded(T0.AddSeconds(20), "L1", LegOutcome.NoAnswer));

        Tick(TimeSpan.FromMinutes(3));
        Assert.Equal("Ringing Missed", States());
    }

    [Fact]
    public void A_call_an_asterisk_source_also_reports_is_left_to_its_events_and_resyncs()
    {
        Apply(Ring("L1", CallSource.Ari));
        Apply(Ring("L1", CallSource.Hook)); // the same leg reported by the dialplan too

        Tick(TimeSpan.FromMinutes(10));
        Assert.Equal("Ringing", States());
    }
}
