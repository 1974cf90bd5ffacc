using System.Text;
using System.Text.Json;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.Testing;

namespace CallerIdGateway.Asterisk.Tests.Ari;

public class AriEventParserTests
{
    private static readonly AriEventParser Typed = new(AriEventParser.TypedEvents);

    public static IEnumerable<object[]> AllCaptures() => AsteriskFixtures.All();

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void Parses_every_frame_of_every_capture(string version, string scenario)
    {
        var frames = AsteriskFixtures.AriFrames(version, scenario);
        Assert.NotEmpty(frames);
        foreach (var frame in frames)
        {
            var ok = AriEventParser.All.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error);

            Assert.True(ok, $"{error} in {frame}");
            Assert.NotNull(evt);
            Assert.Equal(TypeOf(frame), evt.Type);
            Assert.Equal("callerid-gateway", evt.Application);
            Assert.Equal("02:fc:00:00:00:01", evt.AsteriskId);
            Assert.NotNull(evt.Timestamp);
            if (AriEventParser.TypedEvents.Contains(evt.Type))
            {
                Assert.IsNotType<AriUnknownEvent>(evt);
            }
            else
            {
                Assert.Equal(frame, Assert.IsType<AriUnknownEvent>(evt).Json);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public void A_filtered_parser_delivers_exactly_the_wanted_types_of_a_capture(string version, string scenario)
    {
        var frames = AsteriskFixtures.AriFrames(version, scenario);
        var delivered = new List<AriEvent>();
        foreach (var frame in frames)
        {
            Assert.True(Typed.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error), error);
            if (evt is not null)
            {
                delivered.Add(evt);
            }
        }

        var expected = frames.Select(TypeOf).Where(AriEventParser.TypedEvents.Contains).ToList();
        Assert.Equal(expected, delivered.Select(e => e.Type));
        Assert.DoesNotContain(delivered, e => e is AriUnknownEvent);
    }

    [Fact]
    public void Skips_a_channel_varset_frame_although_its_type_is_not_the_first_property()
    {
        var frame = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered").First(f => TypeOf(f) == "ChannelVarset");
        Assert.StartsWith("{\"variable\":", frame);

        Assert.True(Typed.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error));
        Assert.Null(evt);
        Assert.Null(error);
    }

    [Fact]
    public void A_skipped_type_is_not_validated_past_its_type()
    {
        // The point of skipping is not reading the rest; a broken tail of an unwanted frame costs nothing.
        Assert.True(Typed.TryParse("{\"type\":\"ChannelVarset\",\"channel\":{"u8, out var evt, out _));
        Assert.Null(evt);
    }

    [Fact]
    public void A_wanted_type_without_a_record_becomes_an_unknown_event_with_the_raw_json()
    {
        var parser = new AriEventParser(["DeviceStateChanged", "Dial"]);
        var frame = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered").First(f => TypeOf(f) == "DeviceStateChanged");

        Assert.True(parser.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out _));

        var unknown = Assert.IsType<AriUnknownEvent>(evt);
        Assert.Equal("DeviceStateChanged", unknown.Type);
        Assert.Equal(frame, unknown.Json);
        Assert.Equal("callerid-gateway", unknown.Application);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22, "PJSIP/1008-00000001")]
    [InlineData(AsteriskFixtures.ChanSip16, "SIP/1008-00000001")]
    public void The_phone_leg_of_an_answered_call_carries_the_external_number_as_connected_line(string version, string leg)
    {
        var events = ParseAll(version, "answered");

        var ringing = events.OfType<AriChannelStateChange>().Single(e => e.Channel.Name == leg && e.Channel.State == "Ringing");
        Assert.Equal("12345678", ringing.Channel.Connected.Number);
        Assert.Equal("1008", ringing.Channel.Caller.Number);
        Assert.Equal("Sales Agent", ringing.Channel.Caller.Name);
        Assert.Equal("internal", ringing.Channel.Dialplan.Context);
        Assert.Equal("en", ringing.Channel.Language);

        var dials = events.OfType<AriDial>().Where(d => d.Peer.Name == leg).ToList();
        Assert.Equal(["", "RINGING", "ANSWER"], dials.Select(d => d.DialStatus));
        Assert.All(dials, d => Assert.Equal("12345678", d.Caller!.Caller.Number));
        Assert.Equal("1008", dials[0].DialString);

        var destroyed = events.OfType<AriChannelDestroyed>().Single(e => e.Channel.Name == leg);
        Assert.Equal(16, destroyed.Cause);
        Assert.Equal("Normal Clearing", destroyed.CauseText);
        Assert.Equal("Up", destroyed.Channel.State);

        var entered = events.OfType<AriChannelEnteredBridge>().Single(e => e.Channel.Name == leg);
        Assert.Contains(entered.Channel.Id, entered.Bridge.Channels);
        Assert.Equal(entered.Bridge.Id, events.OfType<AriChannelLeftBridge>().Single(e => e.Channel.Name == leg).Bridge.Id);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22, "answered", "ANSWER")]
    [InlineData(AsteriskFixtures.Pjsip22, "missed", "CANCEL")]
    [InlineData(AsteriskFixtures.Pjsip22, "busy", "BUSY")]
    [InlineData(AsteriskFixtures.Pjsip22, "no-answer", "NOANSWER")]
    [InlineData(AsteriskFixtures.ChanSip16, "answered", "ANSWER")]
    [InlineData(AsteriskFixtures.ChanSip16, "missed", "CANCEL")]
    [InlineData(AsteriskFixtures.ChanSip16, "busy", "BUSY")]
    [InlineData(AsteriskFixtures.ChanSip16, "no-answer", "NOANSWER")]
    public void The_last_dial_status_of_the_phone_leg_tells_the_outcome(string version, string scenario, string outcome)
    {
        var dials = ParseAll(version, scenario).OfType<AriDial>().ToList();

        Assert.Equal("", dials[0].DialStatus);
        Assert.Equal(outcome, dials[^1].DialStatus);
        Assert.Contains("/1008-", dials[^1].Peer.Name);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22)]
    [InlineData(AsteriskFixtures.ChanSip16)]
    public void The_ring_group_loser_ends_with_cause_26(string version)
    {
        var destroyed = ParseAll(version, "ring-group").OfType<AriChannelDestroyed>().Single(e => e.Channel.Name.Contains("/1009-"));

        Assert.Equal(26, destroyed.Cause);
    }

    [Fact]
    public void A_hangup_request_without_a_cause_parses()
    {
        var requests = ParseAll(AsteriskFixtures.ChanSip16, "missed").OfType<AriChannelHangupRequest>().ToList();

        Assert.Contains(requests, r => r.Cause is null);
        Assert.Contains(requests, r => r.Cause is not null);
    }

    [Fact]
    public void Dialplan_events_carry_the_application_and_its_data()
    {
        var dialplan = ParseAll(AsteriskFixtures.Pjsip22, "answered").OfType<AriChannelDialplan>().First(e => e.DialplanApp == "Dial");

        Assert.Equal("PJSIP/1008,20", dialplan.DialplanAppData);
    }

    [Fact]
    public void Timestamps_keep_the_offset_asterisk_sent()
    {
        var evt = ParseAll(AsteriskFixtures.Pjsip22, "answered")[0];

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 56, 17, 564, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal(TimeSpan.Zero, evt.Timestamp!.Value.Offset);
        var created = Assert.IsType<AriChannelCreated>(evt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 56, 17, 563, TimeSpan.Zero), created.Channel.CreationTime);
    }

    [Fact]
    public void Application_replaced_parses_without_timestamp_or_asterisk_id()
    {
        // What res_stasis/app.c actually sends.
        Assert.True(AriEventParser.All.TryParse("""{"type":"ApplicationReplaced","application":"callerid-gateway"}"""u8, out var evt, out var error), error);

        var replaced = Assert.IsType<AriApplicationReplaced>(evt);
        Assert.Equal("callerid-gateway", replaced.Application);
        Assert.Null(replaced.Timestamp);
        Assert.Null(replaced.AsteriskId);
    }

    [Fact]
    public void Stasis_start_reads_its_arguments()
    {
        var channel = ChannelJson("1.1", "PJSIP/1008-00000001");
        var frame = $$"""{"type":"StasisStart","timestamp":"2026-11-24T00:56:17.564+0000","args":["a","b"],"channel":{{channel}},"application":"callerid-gateway"}""";

        Assert.True(AriEventParser.All.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error), error);

        var start = Assert.IsType<AriStasisStart>(evt);
        Assert.Equal(["a", "b"], start.Args);
        Assert.Equal("1.1", start.Channel.Id);
        Assert.Null(start.ReplaceChannel);
    }

    [Fact]
    public void An_escaped_type_name_is_still_recognized()
    {
        var frame = """{"type":"Stasis\u0045nd","application":"a","channel":""" + ChannelJson("1.2", "SIP/1008-00000002") + "}";

        Assert.True(Typed.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error), error);

        Assert.IsType<AriStasisEnd>(evt);
    }

    [Fact]
    public void A_very_long_unknown_type_is_kept_when_everything_is_wanted()
    {
        var type = new string('X', 300);

        Assert.True(AriEventParser.All.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"{{type}}"}"""), out var evt, out _));

        Assert.Equal(type, Assert.IsType<AriUnknownEvent>(evt).Type);
        Assert.True(Typed.TryParse(Encoding.UTF8.GetBytes($$"""{"type":"{{type}}"}"""), out evt, out _));
        Assert.Null(evt);
    }

    [Theory]
    [InlineData("", "invalid JSON")]
    [InlineData("not json", "invalid JSON")]
    [InlineData("{\"type\":\"Dial\"", "invalid Dial")]
    [InlineData("[1,2,3]", "not a JSON object")]
    [InlineData("null", "not a JSON object")]
    [InlineData("{}", "no \"type\"")]
    [InlineData("{\"channel\":{\"type\":\"Dial\"}}", "no \"type\"")]
    [InlineData("{\"type\":5}", "not a string")]
    [InlineData("{\"type\":\"Dial\"}", "invalid Dial")]
    [InlineData("{\"type\":\"Dial\",\"application\":\"a\",\"dialstatus\":\"\"}", "peer")]
    [InlineData("{\"type\":\"ChannelCreated\",\"application\":\"a\",\"channel\":null}", "invalid ChannelCreated")]
    [InlineData("{\"type\":\"ChannelDestroyed\",\"application\":\"a\",\"cause\":\"x\",\"cause_txt\":\"\",\"channel\":{}}", "invalid ChannelDestroyed")]
    [InlineData("{\"type\":\"ApplicationReplaced\",\"application\":\"a\",\"timestamp\":\"yesterday\"}", "invalid ApplicationReplaced")]
    [InlineData("{\"type\":\"DeviceStateChanged\",\"timestamp\":42}", "invalid DeviceStateChanged")]
    public void Refuses_a_frame_it_cannot_use_with_a_short_reason_and_no_exception(string frame, string reason)
    {
        var ok = AriEventParser.All.TryParse(Encoding.UTF8.GetBytes(frame), out var evt, out var error);

        Assert.False(ok);
        Assert.Null(evt);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Refuses_invalid_utf8_without_an_exception()
    {
        byte[] frame = [.. "{\"type\":\"Dial\",\"dialstatus\":\""u8, 0xFF, 0xFE, .. "\"}"u8];

        Assert.False(AriEventParser.All.TryParse(frame, out _, out var error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22, "PJSIP/1008-00000001")]
    [InlineData(AsteriskFixtures.ChanSip16, "SIP/1008-00000001")]
    public void Reads_the_channels_snapshot_of_a_resync(string version, string leg)
    {
        var json = File.ReadAllBytes(AsteriskFixtures.PathOf(version, "answered", "ari-channels.json"));

        var channels = JsonSerializer.Deserialize(json, AriJsonContext.Default.AriChannelArray)!;

        Assert.Equal(2, channels.Length);
        var phone = Assert.Single(channels, c => c.Name == leg);
        Assert.Equal("Ringing", phone.State);
        Assert.Equal("12345678", phone.Connected.Number);
        Assert.Equal("AppDial", phone.Dialplan.AppName);
        Assert.Equal("(Outgoing Line)", phone.Dialplan.AppData);
    }

    internal static string ChannelJson(string id, string name) =>
        $$"""{"id":"{{id}}","name":"{{name}}","state":"Ring","caller":{"name":"","number":"12345678"},"connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"from-pstn","exten":"1008","priority":1,"app_name":"","app_data":""},"creationtime":"2026-11-24T00:56:17.563+0000","language":"en"}""";

    private static List<AriEvent> ParseAll(string version, string scenario) =>
        AsteriskFixtures.AriFrames(version, scenario)
            .Select(f => Typed.TryParse(Encoding.UTF8.GetBytes(f), out var evt, out var error) ? evt : throw new InvalidDataException(error))
            .OfType<AriEvent>()
            .ToList();

    private static string TypeOf(string frame)
    {
        using var document = JsonDocument.Parse(frame);
        return document.RootElement.GetProperty("type").GetString()!;
    }
}
