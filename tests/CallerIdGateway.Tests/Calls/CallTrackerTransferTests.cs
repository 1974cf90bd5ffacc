using CallerIdGateway.Calls;

namespace CallerIdGateway.Tests.Calls;

/// <summary>The transfer states of <see cref="CallTracker"/>: what the transferer's and the target's cards go through.</summary>
public class CallTrackerTransferTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private const string Customer = "09123456789";
    private readonly CallTracker _tracker = new(new GatewayOptions { MonitoredExtensions = ["1008", "1009"] });
    private readonly List<CallInfo> _changes = [];

    private void Apply(CallFact fact) => _changes.AddRange(_tracker.Apply(fact));

    private static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>The customer's call rings 1009, who answers.</summary>
    private void CustomerTalksTo1009()
    {
        Apply(new LegRinging(At(0), CallSource.Ami, "c1", "L1009", "1009", LegKind.Device, Customer, "") { Party = new Party(Customer, "", IsPhone: false) });
        Apply(new LegAnswered(At(1), "L1009"));
    }

    /// <summary>1009 consults 1008: 1008's phone rings with 1009 presented, on the customer's call.</summary>
    private void ConsultationRings1008(double at) =>
        Apply(new LegRinging(At(at), CallSource.Ami, "c1", "L1008", "1008", LegKind.Device, Customer, "") { Party = new Party("1009", "Support 1009", IsPhone: true) });

    private void TransferCompletes(double at, TransferKind kind = TransferKind.Attended, string from = "1009", string to = "1008") =>
        Apply(new CallTransferred(At(at), "c1", kind, from, to, Customer, "خلیلی"));

    private string Cards(string extension) => string.Join(" | ", _changes.Where(c => c.Extension == extension).Select(c =>
        $"{c.State} {c.Direction} {c.RemoteNumber} {c.LookupNumber ?? "-"}" + (c.Transfer is { } t ? $" {t.Kind}:{t.From}>{t.To}{(t.Completed ? "" : "?")}" : "")
        + (c.Outcome == LegOutcome.Transferred ? " transferred" : "")));

    [Fact]
    public void A_consultation_shows_the_colleague_and_the_waiting_customer_then_becomes_the_customers_answered_call()
    {
        CustomerTalksTo1009();
        ConsultationRings1008(3);
        Apply(new LegAnswered(At(5), "L1008"));
        TransferCompletes(7);
        Apply(new LegEnded(At(7), "L1009", LegOutcome.Completed));
        Apply(new LegEnded(At(10), "L1008", LegOutcome.Completed));

        Assert.Equal(
            $"Ringing Internal 1009 {Customer} Attended:1009>1008? | Answered Internal 1009 {Customer} Attended:1009>1008? | "
            + $"Answered Inbound {Customer} {Customer} Attended:1009>1008 | Ended Inbound {Customer} {Customer} Attended:1009>1008",
            Cards("1008"));
        Assert.Equal($"Ringing Inbound {Customer} {Customer} | Answered Inbound {Customer} {Customer} | Ended Inbound {Customer} {Customer} Attended:1009>1008 transferred", Cards("1009"));
        var last = _changes.Last(c => c.Extension == "1008");
        Assert.Equal((At(5), At(10)), (last.AnsweredAt!.Value, last.EndedAt!.Value));
        Assert.Equal("Support 1009", _changes.First(c => c.Extension == "1008").RemoteName);
        Assert.Equal("خلیلی", last.CallerName);
        Assert.Empty(_tracker.ActiveCalls);
    }

    [Fact]
    public void A_transfer_completed_while_the_target_still_rings_turns_the_ringing_card_into_the_customers()
    {
        CustomerTalksTo1009();
        ConsultationRings1008(3);
        TransferCompletes(4);
        Apply(new LegEnded(At(4), "L1009", LegOutcome.Completed));
        Apply(new LegAnswered(At(6), "L1008"));
        Apply(new CallerHungUp(At(9), "c1"));

        Assert.Equal(
            $"Ringing Internal 1009 {Customer} Attended:1009>1008? | Ringing Inbound {Customer} {Customer} Attended:1009>1008 | "
            + $"Answered Inbound {Customer} {Customer} Attended:1009>1008 | Ended Inbound {Customer} {Customer} Attended:1009>1008",
            Cards("1008"));
        Assert.Equal(At(6), _changes[^1].AnsweredAt);
    }

    [Fact]
    public void The_consulted_agent_who_does_not_answer_before_the_colleague_gives_up_misses_only_the_consultation()
    {
        CustomerTalksTo1009();
        ConsultationRings1008(3);
        Apply(new LegEnded(At(8), "L1008", LegOutcome.Cancelled));

        Assert.Equal($"Ringing Internal 1009 {Customer} Attended:1009>1008? | Missed Internal 1009 {Customer} Attended:1009>1008?", Cards("1008"));
        Assert.Equal(CallState.Answered, _tracker.ActiveCalls.Single().State); // 1009 still talks with the customer
    }

    [Fact]
    public void A_blind_transfer_ends_the_transferers_call_as_transferred_and_the_new_leg_says_where_it_came_from()
    {
        Apply(new LegRinging(At(0), CallSource.Ari, "c1", "L1008", "1008", LegKind.Device, Customer, ""));
        Apply(new LegAnswered(At(1), "L1008"));
        TransferCompletes(3, TransferKind.Blind, from: "1008", to: "1009");
        Apply(new LegEnded(At(3), "L1008", LegOutcome.Completed));
        Apply(new LegRinging(At(3), CallSource.Ari, "c1", "L1009", "1009", LegKind.Device, Customer, ""));
        Apply(new LegAnswered(At(5), "L1009"));
        Apply(new CallerHungUp(At(8), "c1"));

        Assert.Equal($"Ringing Inbound {Customer} {Customer} | Answered Inbound {Customer} {Customer} | Ended Inbound {Customer} {Customer} Blind:1008>1009 transferred", Cards("1008"));
        Assert.Equal(
            $"Ringing Inbound {Customer} {Customer} Blind:1008>1009 | Answered Inbound {Customer} {Customer} Blind:1008>1009 | Ended Inbound {Customer} {Customer} Blind:1008>1009",
            Cards("1009"));
        Assert.Equal(LegOutcome.Transferred, _changes.First(c => c.Extension == "1008" && c.State == CallState.Ended).Outcome);
    }

    [Fact]
    public void A_blind_transfer_whose_leg_never_comes_is_forgotten_after_the_retention_window()
    {
        Apply(new LegRinging(At(0), CallSource.Ari, "c1", "L1008", "1008", LegKind.Device, Customer, ""));
        Apply(new LegAnswered(At(1), "L1008"));
        TransferCompletes(3, TransferKind.Blind, from: "1008", to: "1009");
        Apply(new ClockTick(At(3) + new GatewayOptions().EndedCallRetention));

        // The same call id ringing 1009 much later (a new transfer nobody reported) is not "from 1008" any more.
        Apply(new LegRinging(At(200), CallSource.Ari, "c1", "L1009", "1009", LegKind.Device, Customer, ""));
        Assert.Null(_changes[^1].Transfer);
    }
}
