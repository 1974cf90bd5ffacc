using System.IO.Pipelines;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Calls;
using CallerIdGateway.Sources;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Tests.Sources;

/// <summary>Every captured scenario's AMI byte stream through the parser, the AMI mapping and the tracker: the same calls as over ARI.</summary>
public class AmiCallFactsTests
{
    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public async Task Each_scenario_gives_exactly_the_expected_call_changes(string version, string scenario)
    {
        var changes = await ReplayAsync(version, scenario);

        Assert.Equal(
            ScenarioExpectations.PerExtension(ScenarioExpectations.Changes[scenario]),
            ScenarioExpectations.PerExtension(changes.Select(ScenarioExpectations.Describe)));
    }

    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public async Task Ami_and_ari_agree_on_every_call_id_and_change(string version, string scenario)
    {
        var ami = await ReplayAsync(version, scenario);
        var ari = AriCallFactsTests.Replay(version, scenario);

        // Per extension: the order between two extensions' changes of one moment differs between the protocols.
        Assert.Equal(
            ari.Select(c => (c.Extension, c.Id, ScenarioExpectations.Describe(c))).OrderBy(c => c.Extension, StringComparer.Ordinal),
            ami.Select(c => (c.Extension, c.Id, ScenarioExpectations.Describe(c))).OrderBy(c => c.Extension, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22)]
    [InlineData(AsteriskFixtures.ChanSip16)]
    public async Task Resync_from_core_show_channels_finds_the_ringing_leg_and_its_caller(string version)
    {
        var messages = await ParseAsync(AsteriskFixtures.PathOf(version, "answered", "ami-coreshowchannels.txt"));
        var mapper = new AmiCallFacts(new MonitoredExtensions(["1008"]));

        var legs = mapper.Resync(messages, DateTimeOffset.UnixEpoch);

        var leg = Assert.Single(legs);
        Assert.Equal("1008", leg.Leg.Extension);
        Assert.Equal("12345678", leg.Leg.CallerNumber);
        Assert.False(leg.Answered);
        Assert.Equal(AriCallFactsTests.Replay(version, "answered")[0].Id, leg.Leg.CallId);
    }

    internal static async Task<List<CallInfo>> ReplayAsync(string version, string scenario)
    {
        var mapper = new AmiCallFacts(new MonitoredExtensions(ScenarioExpectations.MonitoredExtensions(scenario)));
        var tracker = new CallTracker(new GatewayOptions());
        var changes = new List<CallInfo>();
        var facts = new List<CallFact>();
        var at = DateTimeOffset.UnixEpoch;
        foreach (var message in await ParseAsync(AsteriskFixtures.PathOf(version, scenario, "ami.txt")))
        {
            facts.Clear();
            at = at.AddMilliseconds(10);
            mapper.Map(message, at, facts);
            foreach (var fact in facts)
            {
                changes.AddRange(tracker.Apply(fact));
            }
        }
        changes.AddRange(tracker.Apply(new ClockTick(at.AddSeconds(30))));
        Assert.Empty(tracker.ActiveCalls);
        return changes;
    }

    private static async Task<List<AmiMessage>> ParseAsync(string path)
    {
        var reader = new AmiProtocolReader(PipeReader.Create(new MemoryStream(await File.ReadAllBytesAsync(path))), AmiCallFacts.WantedEvents);
        await reader.ReadBannerAsync();
        var messages = new List<AmiMessage>();
        while (await reader.ReadMessageAsync() is { } message)
        {
            messages.Add(message);
        }
        return messages;
    }
}
