using System.Text;
using System.Text.Json;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Tests.Sources;

/// <summary>Every captured scenario, replayed frame by frame through the ARI mapping and the tracker.</summary>
public class AriCallFactsTests
{
    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public void Each_scenario_gives_exactly_the_expected_call_changes(string version, string scenario)
    {
        var changes = Replay(version, scenario);

        Assert.Equal(
            ScenarioExpectations.PerExtension(ScenarioExpectations.Changes[scenario]),
            ScenarioExpectations.PerExtension(changes.Select(ScenarioExpectations.Describe)));
    }

    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public void The_call_id_is_the_callers_channel_and_no_call_stays_open(string version, string scenario)
    {
        var changes = Replay(version, scenario, out var tracker, out var facts);

        Assert.Empty(tracker.ActiveCalls);
        Assert.Equal(0, facts.ChannelCount);
        foreach (var call in changes)
        {
            Assert.DoesNotContain("1008-", call.Id);
            Assert.Matches(@"^\d+\.\d+$", call.Id);
        }
    }

    [Fact]
    public void Ring_group_with_only_1008_monitored_ignores_1009()
    {
        var changes = Replay(AsteriskFixtures.Pjsip22, "ring-group", out _, out _, ["1008"]);

        Assert.Equal(["1008 12345678 Ringing", "1008 12345678 Answered", "1008 12345678 Ended"], changes.Select(ScenarioExpectations.Describe));
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22)]
    [InlineData(AsteriskFixtures.ChanSip16)]
    public void Resync_snapshot_finds_the_ringing_leg_and_its_caller(string version)
    {
        var json = File.ReadAllText(AsteriskFixtures.PathOf(version, "answered", "ari-channels.json"));
        var channels = JsonSerializer.Deserialize(json, AriJsonContext.Default.AriChannelArray)!;
        var mapper = new AriCallFacts(new MonitoredExtensions(["1008"]));

        var legs = mapper.Resync(channels, DateTimeOffset.UnixEpoch);

        var leg = Assert.Single(legs);
        Assert.False(leg.Answered);
        Assert.Equal("1008", leg.Leg.Extension);
        Assert.Equal("12345678", leg.Leg.CallerNumber);
        var caller = channels.Single(c => !c.Name.Contains("1008"));
        Assert.Equal(caller.Id, leg.Leg.CallId);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22)]
    [InlineData(AsteriskFixtures.ChanSip16)]
    public void Resync_puts_each_leg_in_the_call_of_its_linkedid_where_the_snapshot_alone_is_ambiguous(string version)
    {
        // Two calls from one number ring 1008 at once: the captured snapshot twice, with different ids.
        var json = File.ReadAllText(AsteriskFixtures.PathOf(version, "answered", "ari-channels.json"));
        AriChannel[] Channels(string prefix) => JsonSerializer.Deserialize(AsteriskFixtures.WithFreshIds(json, prefix), AriJsonContext.Default.AriChannelArray)!;
        var channels = Channels("7001").Concat(Channels("7002")).ToArray();
        var linkedIds = AsteriskFixtures.LinkedIds(version, "answered", "7001")
            .Concat(AsteriskFixtures.LinkedIds(version, "answered", "7002")).ToDictionary();
        var mapper = new AriCallFacts(new MonitoredExtensions(["1008"]));

        Assert.Equal(channels.Where(c => c.Name.Contains("1008")).Select(c => c.Id), mapper.LegIds(channels));
        var guessed = mapper.Resync(channels, DateTimeOffset.UnixEpoch);
        var exact = mapper.Resync(channels, DateTimeOffset.UnixEpoch, linkedIds.GetValueOrDefault);

        Assert.Single(guessed.Select(l => l.Leg.CallId).Distinct()); // both legs look like the first caller's
        Assert.Equal(
            channels.Where(c => c.Name.Contains("1008")).Select(c => linkedIds[c.Id]),
            exact.Select(l => l.Leg.CallId));
        Assert.Equal(2, exact.Select(l => l.Leg.CallId).Distinct().Count());
        Assert.All(exact, l => Assert.Equal("12345678", l.Leg.CallerNumber));
    }

    [Fact]
    public void A_linkedid_that_is_not_in_the_snapshot_leaves_the_leg_to_the_snapshots_match()
    {
        var json = File.ReadAllText(AsteriskFixtures.PathOf(AsteriskFixtures.Pjsip22, "answered", "ari-channels.json"));
        var channels = JsonSerializer.Deserialize(json, AriJsonContext.Default.AriChannelArray)!;
        var mapper = new AriCallFacts(new MonitoredExtensions(["1008"]));

        var leg = Assert.Single(mapper.Resync(channels, DateTimeOffset.UnixEpoch, _ => "1795000000.99"));

        Assert.Equal(channels.Single(c => !c.Name.Contains("1008")).Id, leg.Leg.CallId);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22)]
    [InlineData(AsteriskFixtures.ChanSip16)]
    public void Resync_during_an_outbound_call_finds_the_phone_calling_out_not_the_trunk_calling_in(string version)
    {
        // GET /channels as it would answer while 1008 talks to the customer: each channel's last snapshot before the hangup.
        var parser = new AriEventParser(AriCallFacts.WantedEvents);
        var channels = new Dictionary<string, AriChannel>();
        foreach (var frame in AsteriskFixtures.AriFrames(version, "outbound"))
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out _));
            if (evt is AriChannelDestroyed or AriChannelHangupRequest)
            {
                break;
            }
            foreach (var channel in evt switch { AriChannelEvent e => [e.Channel], AriDial d => new[] { d.Caller, d.Peer }, _ => [] })
            {
                if (channel is not null)
                {
                    channels[channel.Id] = channel;
                }
            }
        }
        var phone = channels.Values.Single(c => c.Name.Contains("1008"));
        var mapper = new AriCallFacts(new MonitoredExtensions(["1008"]));

        var leg = Assert.Single(mapper.Resync([.. channels.Values], DateTimeOffset.UnixEpoch, _ => phone.Id)).Leg;

        Assert.True(leg.Outbound);
        Assert.Equal((phone.Id, phone.Id), (leg.CallId, leg.LegId));
    }

    internal static List<CallInfo> Replay(string version, string scenario) => Replay(version, scenario, out _, out _);

    internal static List<CallInfo> Replay(string version, string scenario, out CallTracker tracker, out AriCallFacts mapper, string[]? monitored = null)
    {
        mapper = new AriCallFacts(new MonitoredExtensions(monitored ?? ScenarioExpectations.MonitoredExtensions(scenario)));
        tracker = new CallTracker(new GatewayOptions());
        var parser = new AriEventParser(AriCallFacts.WantedEvents);
        var changes = new List<CallInfo>();
        var facts = new List<CallFact>();
        DateTimeOffset last = default;
        foreach (var frame in AsteriskFixtures.AriFrames(version, scenario))
        {
            Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error), error);
            if (evt is null)
            {
                continue; // a type the mapper does not read
            }
            facts.Clear();
            mapper.Map(evt, evt.Timestamp ?? last, facts);
            last = evt.Timestamp ?? last;
            foreach (var fact in facts)
            {
                changes.AddRange(tracker.Apply(fact));
            }
        }
        changes.AddRange(tracker.Apply(new ClockTick(last.AddSeconds(30))));
        return changes;
    }
}
