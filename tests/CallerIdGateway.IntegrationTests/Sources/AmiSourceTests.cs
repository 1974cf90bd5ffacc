using System.Text;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Sources;

/// <summary>The gateway with AMI only, a real database with the demo data, and a test AMI server replaying the captures byte for byte.</summary>
public sealed class AmiGatewayFixture : IAsyncLifetime
{
    public TestAmiServer Ami { get; } = new();

    public RecordingCallNotifier Calls { get; } = new();

    public GatewayApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ami.StartAsync();
        App = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?>
        {
            ["Gateway:MonitoredExtensions:0"] = "1008",
            ["Gateway:MonitoredExtensions:1"] = "1009",
            ["Asterisk:Ami:Enabled"] = "true",
            ["Asterisk:Ami:Port"] = Ami.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Asterisk:Ami:Username"] = Ami.Username,
            ["Asterisk:Ami:Secret"] = Ami.Secret,
            ["Asterisk:Ami:Reconnect:InitialDelay"] = "00:00:00.050",
            ["Asterisk:Ami:Reconnect:MaxDelay"] = "00:00:00.300",
        });
        App.TestServices = services => services.AddSingleton<ICallNotifier>(Calls);
        App.Start();
        await Ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Ami.DisposeAsync();
    }
}

public class AmiSourceTests(AmiGatewayFixture fixture) : IClassFixture<AmiGatewayFixture>
{
    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public async Task A_replayed_scenario_cut_at_random_points_publishes_the_same_calls_as_over_ari(string version, string scenario)
    {
        await fixture.Ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var expected = ScenarioExpectations.Changes[scenario];

        await fixture.Ami.ReplayAsync(version, scenario, new TestAmiChunking(Seed: scenario.Length, MaxChunkBytes: 700));
        var published = await fixture.Calls.WaitForAsync(expected.Length);

        Assert.Equal(
            expected.OrderBy(ScenarioExpectations.PerCall, StringComparer.Ordinal),
            published.Select(d => ScenarioExpectations.Describe(d.Call!)).OrderBy(ScenarioExpectations.PerCall, StringComparer.Ordinal));
        Assert.All(published, d => Assert.Equal(CallSource.Ami, d.Call!.Source));
        Assert.All(published.Where(d => d.Call!.RemoteNumber is "12345678" or "09123456789" || d.Call.Transfer is not null), d => Assert.Equal("خلیلی", d.Customer!.Name));
        Assert.All(published.Where(d => d.Call!.Direction == CallDirection.Internal && d.Call.Transfer is null), d => Assert.Equal(LookupStatus.Colleague, d.Lookup));

        var ids = published.Select(d => d.Call!.Id).ToHashSet();
        var recent = await fixture.App.Get<CallLog>().RecentAsync(null, 500, CancellationToken.None);
        Assert.Equal(
            ScenarioExpectations.Rows[scenario].Order(StringComparer.Ordinal),
            recent.Where(d => ids.Contains(d.Call!.Id)).Select(d => $"{d.Call!.Extension} {d.Call.RemoteNumber} {ContractJson.Name(d.Call.State)} {ContractJson.Name(d.Call.Direction)}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Garbage_and_a_very_long_line_mid_stream_are_skipped_and_later_calls_are_still_tracked()
    {
        await fixture.Ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var garbage = "Event: Newchannel\r\nChannel: " + new string('x', 200_000) + "\r\n\r\nnot a header line\r\n\r\n\u00ff\u00fe: \u0001\r\n\r\n";
        await fixture.Ami.SendRawAsync(Encoding.Latin1.GetBytes(garbage));

        // New channel ids: this capture was already replayed to this gateway by the theory above.
        var busy = Encoding.UTF8.GetString(TestAmiCaptures.EventStream(AsteriskFixtures.ChanSip16, "busy")).Replace("1795483", "9301483", StringComparison.Ordinal);
        await fixture.Ami.SendRawAsync(Encoding.UTF8.GetBytes(busy));

        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Missed));
        Assert.Equal([CallState.Ringing, CallState.Missed], fixture.Calls.Published.Select(d => d.Call!.State));
        Assert.Equal(CallerIdGateway.Asterisk.ConnectionState.Connected, fixture.App.Get<CallerIdGateway.Sources.AmiCallSource>().Connection!.State);
    }

}

/// <summary>A gateway of its own, so the capture's channel ids are new to it (the resync snapshot has the same ids).</summary>
public class AmiReconnectTests(AmiGatewayFixture fixture) : IClassFixture<AmiGatewayFixture>
{
    [Fact]
    public async Task A_call_ringing_across_a_dropped_session_is_found_again_by_core_show_channels_and_later_ended()
    {
        await fixture.Ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var stream = Encoding.UTF8.GetString(TestAmiCaptures.EventStream(AsteriskFixtures.ChanSip16, "answered"));
        var answer = stream.IndexOf("DialStatus: ANSWER", StringComparison.Ordinal);
        var split = stream.LastIndexOf("\r\n\r\n", answer, StringComparison.Ordinal) + 4;
        await fixture.Ami.SendRawAsync(Encoding.UTF8.GetBytes(stream[..split]));
        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Ringing));

        fixture.Ami.CoreShowChannelsCapture = AsteriskFixtures.ChanSip16;
        await fixture.Ami.DropClientsAsync();
        await fixture.Ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
        await fixture.Ami.SendRawAsync(Encoding.UTF8.GetBytes(stream[split..]));

        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Ended));
        fixture.Ami.CoreShowChannelsCapture = null;
        Assert.Equal([CallState.Ringing, CallState.Answered, CallState.Ended], fixture.Calls.Published.Select(d => d.Call!.State));
    }
}

/// <summary>ARI and AMI on at once (a PBX with both open): every call is reported once.</summary>
public class AriAndAmiTogetherTests : IAsyncLifetime
{
    private readonly TestAriServer _ari = new();
    private readonly TestAmiServer _ami = new();
    private readonly RecordingCallNotifier _calls = new();
    private GatewayApp _app = null!;

    public async Task InitializeAsync()
    {
        await _ari.StartAsync();
        await _ami.StartAsync();
        _app = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?>
        {
            ["Asterisk:Ari:Enabled"] = "true",
            ["Asterisk:Ari:BaseUrl"] = _ari.BaseUrl.ToString(),
            ["Asterisk:Ari:Username"] = _ari.Username,
            ["Asterisk:Ari:Password"] = _ari.Password,
            ["Asterisk:Ami:Enabled"] = "true",
            ["Asterisk:Ami:Port"] = _ami.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Asterisk:Ami:Username"] = _ami.Username,
            ["Asterisk:Ami:Secret"] = _ami.Secret,
        });
        _app.TestServices = services => services.AddSingleton<ICallNotifier>(_calls);
        _app.Start();
        await _ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        await _ami.WaitForClientAsync(TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _ari.DisposeAsync();
        await _ami.DisposeAsync();
    }

    [Theory]
    [InlineData("answered")]
    [InlineData("simultaneous")]
    [InlineData("queue-local")]
    public async Task Each_call_is_reported_once_when_both_sources_see_it(string scenario)
    {
        var expected = ScenarioExpectations.Changes[scenario];

        await Task.WhenAll(_ari.ReplayAsync(AsteriskFixtures.Pjsip22, scenario), _ami.ReplayAsync(AsteriskFixtures.Pjsip22, scenario));

        var published = await _calls.WaitForAsync(expected.Length);
        await Task.Delay(500);
        Assert.Equal(expected.Length, _calls.Published.Count);
        Assert.Equal(expected.Length, published.Select(d => (d.Call!.Id, d.Call.Extension, d.Call.State)).Distinct().Count());
    }
}
