using System.Net.Http.Json;
using System.Text.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CallerIdGateway.IntegrationTests.Sources;

/// <summary>The gateway, a real database with the demo data, and a test ARI server replaying the real captures.</summary>
public sealed class AriGatewayFixture : IAsyncLifetime
{
    public TestAriServer Ari { get; } = new();

    public RecordingCallNotifier Calls { get; } = new();

    public GatewayApp App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ari.StartAsync();
        App = await GatewayApp.OnMySqlAsync(GatewayApp.FollowingAri(Ari));
        App.TestServices = services => services.AddSingleton<ICallNotifier>(Calls);
        Client = App.Start();
        await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Ari.DisposeAsync();
    }
}

public class AriSourceTests(AriGatewayFixture fixture) : IClassFixture<AriGatewayFixture>
{
    // Who the demo data says each captured caller is.
    private static string Lookup(string callerNumber) => callerNumber switch
    {
        "12345678" or "09123456789" or "02112345678" or "+989123456789" or "00982112345678" => "found خلیلی",
        "+989121112233" => "found شرکت بازرگانی نوین",
        "anonymous" => "noNumber",
        _ => "notFound",
    };

    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public async Task A_replayed_scenario_publishes_exactly_the_expected_calls_with_their_customers(string version, string scenario)
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var expected = ScenarioExpectations.Changes[scenario];

        await fixture.Ari.ReplayAsync(version, scenario);
        var published = await fixture.Calls.WaitForAsync(expected.Length);

        // Changes of one call arrive in order; different calls are published independently.
        Assert.Equal(
            expected.OrderBy(ScenarioExpectations.PerCall, StringComparer.Ordinal),
            published.Select(d => ScenarioExpectations.Describe(d.Call!)).OrderBy(ScenarioExpectations.PerCall, StringComparer.Ordinal));
        // The customer is always the other party's, the waiting customer's during a consultation; a colleague is not looked up.
        Assert.All(published, d => Assert.Equal(
            d.Call!.Transfer is { Completed: false } consultation ? Lookup(consultation.CustomerNumber!)
                : d.Call.Direction == CallDirection.Internal ? "colleague" : Lookup(d.Call.RemoteNumber),
            $"{ContractJson.Name(d.Lookup)} {d.Customer?.Name}".TrimEnd()));
        Assert.All(published, d => Assert.Equal(CallSource.Ari, d.Call!.Source));
        // The number of the one it is about (the looked-up party, or the colleague), normalized once when published.
        var normalizer = fixture.App.Get<PhoneNumberNormalizer>();
        Assert.All(published, d => Assert.Equal(normalizer.NormalizeOrNull(d.Call!.LookupNumber ?? d.Call.RemoteNumber), d.Call.NormalizedNumber));
        var found = published.FirstOrDefault(d => d.Lookup == Contracts.LookupStatus.Found);
        if (found is not null)
        {
            Assert.NotNull(found.LastInvoice);
        }

        // The call log keeps one row per call and extension, with the direction and the other party.
        var ids = published.Select(d => d.Call!.Id).ToHashSet();
        var recent = await fixture.Client.GetFromJsonAsync<List<CustomerCallDataDto>>("/api/calls/recent?limit=500");
        Assert.Equal(
            ScenarioExpectations.Rows[scenario].Order(StringComparer.Ordinal),
            recent!.Where(d => ids.Contains(d.Call!.Id)).Select(d => $"{d.Call!.Extension} {d.Call.RemoteNumber} {d.Call.State} {d.Call.Direction}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_call_ringing_across_a_dropped_socket_and_an_asterisk_restart_is_still_reported_and_later_ended()
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered", "9101");
        var ringing = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\""));
        foreach (var frame in frames[..(ringing + 1)])
        {
            await fixture.Ari.SendFrameAsync(frame);
        }
        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Ringing));

        // Asterisk goes away with the call still up; when it is back, GET /channels still shows the ringing leg.
        await fixture.Ari.StopAsync();
        var snapshot = AsteriskFixtures.WithFreshIds(File.ReadAllText(AsteriskFixtures.PathOf(AsteriskFixtures.Pjsip22, "answered", "ari-channels.json")), "9101");
        fixture.Ari.Channels = [.. JsonDocument.Parse(snapshot).RootElement.EnumerateArray()];
        await fixture.Ari.StartAsync();
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        foreach (var frame in frames[(ringing + 1)..])
        {
            await fixture.Ari.SendFrameAsync(frame);
        }

        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Ended));
        Assert.Equal([CallState.Ringing, CallState.Answered, CallState.Ended], fixture.Calls.Published.Select(d => d.Call!.State));
        Assert.All(fixture.Calls.Published, d => Assert.Equal("خلیلی", d.Customer!.Name));
        fixture.Ari.Channels = [];
    }

    [Fact]
    public async Task Two_calls_from_one_number_found_by_a_resync_stay_two_calls_by_their_linkedid()
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var json = File.ReadAllText(AsteriskFixtures.PathOf(AsteriskFixtures.Pjsip22, "answered", "ari-channels.json"));
        fixture.Ari.Channels = [.. new[] { "9103", "9104" }.SelectMany(p => JsonDocument.Parse(AsteriskFixtures.WithFreshIds(json, p)).RootElement.EnumerateArray())];
        fixture.Ari.LinkedIds = AsteriskFixtures.LinkedIds(AsteriskFixtures.Pjsip22, "answered", "9103")
            .Concat(AsteriskFixtures.LinkedIds(AsteriskFixtures.Pjsip22, "answered", "9104")).ToDictionary();

        // The gateway reconnects (a network blip) and finds both calls ringing in GET /channels.
        await fixture.Ari.DropClientsAsync();

        await fixture.Calls.WaitUntilAsync(p => p.Count(d => d.Call!.State == CallState.Ringing) == 2);
        Assert.Equal(["9103481777.0", "9104481777.0"], fixture.Calls.Published.Select(d => d.Call!.Id).Order());
        Assert.All(fixture.Calls.Published, d => Assert.Equal("خلیلی", d.Customer!.Name));

        fixture.Ari.Channels = [];
        fixture.Ari.LinkedIds = new Dictionary<string, string>();
        await fixture.Ari.DropClientsAsync();
        await fixture.Calls.WaitUntilAsync(p => p.Count(d => d.Call!.State == CallState.Missed) == 2);
    }

    [Fact]
    public async Task A_call_that_ended_while_the_gateway_was_away_is_closed_by_the_resync()
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.ChanSip16, "missed", "9102");
        var ringing = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\""));
        foreach (var frame in frames[..(ringing + 1)])
        {
            await fixture.Ari.SendFrameAsync(frame);
        }
        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Ringing));

        fixture.Ari.Channels = [];
        await fixture.Ari.DropClientsAsync();

        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Missed));
        Assert.Empty(fixture.App.Get<LiveCalls>().Active);
    }

    [Fact]
    public async Task Garbage_frames_are_skipped_and_later_calls_are_still_tracked()
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        fixture.Calls.Clear();
        await fixture.Ari.SendFrameAsync("{not json");
        await fixture.Ari.SendFrameAsync("{\"type\":\"Dial\"}");
        await fixture.Ari.SendFrameAsync("{\"type\":\"ChannelDestroyed\",\"channel\":42}");
        await fixture.Ari.SendFrameAsync(JsonSerializer.Serialize(new { type = "SomethingNew", x = 1 }));
        await fixture.Ari.SendFrameAsync("{\"type\":\"ChannelVarset\",\"value\":\"" + new string('x', 1_500_000) + "\"}");
        await fixture.Ari.SendBinaryAsync([1, 2, 3]);

        foreach (var frame in AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "busy", "9103"))
        {
            await fixture.Ari.SendFrameAsync(frame);
        }

        await fixture.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.State == CallState.Missed));
        Assert.Equal([CallState.Ringing, CallState.Missed], fixture.Calls.Published.Select(d => d.Call!.State));
    }

}
