using System.IO.Pipelines;
using System.Text;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Testing;
using static CallerIdGateway.Asterisk.Tests.Ami.AmiTestStreams;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiProtocolReaderTests
{
    public static IEnumerable<object[]> Captures() =>
        AsteriskFixtures.All()
            .Select(pair => new object[] { Path.Combine((string)pair[0], (string)pair[1], "ami.txt") })
            .Concat(AsteriskFixtures.Versions.Select(v => new object[] { Path.Combine(v, "answered", "ami-coreshowchannels.txt") }));

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Every_capture_parses_into_exactly_its_packets_and_round_trips(string capture)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AsteriskFixtures.Root, capture));
        var text = Encoding.UTF8.GetString(bytes);
        var afterBanner = text[(text.IndexOf('\n') + 1)..];
        var expectedPackets = afterBanner.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries).Length;

        var parsed = await ParseAsync(bytes);

        Assert.Equal(capture.StartsWith(AsteriskFixtures.Pjsip22) ? "11.0.0" : "5.0.5", parsed.Banner);
        Assert.Equal(0, parsed.SkippedPackets);
        Assert.Equal(expectedPackets, parsed.Messages.Count);
        Assert.All(parsed.Messages, m => Assert.True(m.EventName is not null || m.IsResponse, m.ToString()));
        Assert.Equal("Authentication accepted", parsed.Messages[0]["Message"]);
        // Every header survives byte for byte: the wire form of the packets is the capture itself.
        Assert.Equal(afterBanner, string.Concat(parsed.Messages.Select(m => m + "\r\n")));
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Rechunked_capture_gives_identical_messages_at_any_split_points(string capture)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AsteriskFixtures.Root, capture));
        var whole = await ParseAsync(bytes, wantedEvents: GatewayEvents);

        var oneByteAtATime = await ParseAsync(bytes, () => 1, banner: true, GatewayEvents, AmiProtocolReader.DefaultMaxLineBytes);
        Assert.Equal(whole.Wire, oneByteAtATime.Wire);

        for (var seed = 1; seed <= 20; seed++)
        {
            var chunked = await ParseInChunksAsync(bytes, seed, maxChunk: seed % 2 == 0 ? 16 : 1500, wantedEvents: GatewayEvents);
            Assert.Equal(whole.Wire, chunked.Wire);
            Assert.Equal(whole.FilteredEvents, chunked.FilteredEvents);
        }
    }

    [Fact]
    public async Task Bare_LF_line_ends_give_the_same_messages_as_CRLF()
    {
        var crlf = AsteriskFixtures.AmiBytes(AsteriskFixtures.ChanSip16, "queue");
        var lf = Bytes(Encoding.UTF8.GetString(crlf).Replace("\r\n", "\n"));

        var expected = await ParseAsync(crlf);
        var actual = await ParseInChunksAsync(lf, seed: 7, maxChunk: 64);

        Assert.Equal(expected.Banner, actual.Banner);
        Assert.Equal(expected.Wire, actual.Wire);
    }

    [Fact]
    public async Task Unwanted_events_are_dropped_but_responses_and_events_of_our_actions_are_kept()
    {
        var bytes = Bytes(
            "Event: VarSet\r\nChannel: PJSIP/1008-00000001\r\nVariable: X\r\nValue: 1\r\n\r\n" +
            "Response: Success\r\nActionID: 1\r\nPing: Pong\r\n\r\n" +
            "Event: Newstate\r\nChannel: PJSIP/1008-00000001\r\n\r\n" +
            "Event: QueueStatusComplete\r\nEventList: Complete\r\nListItems: 0\r\nActionID: 2\r\n\r\n" +
            "Privilege: call,all\r\nEvent: RTCPSent\r\n\r\n");

        var parsed = await ParseAsync(bytes, banner: false, wantedEvents: ["newstate"]);

        Assert.Equal(["Success", null, null], parsed.Messages.Select(m => m.Response));
        Assert.Equal([null, "Newstate", "QueueStatusComplete"], parsed.Messages.Select(m => m.EventName));
        Assert.Equal(2, parsed.FilteredEvents);
    }

    [Fact]
    public async Task A_packet_with_a_200_KB_line_is_skipped_and_the_next_packet_still_arrives()
    {
        var bytes = Bytes(
            "Event: Newchannel\r\nChannel: PJSIP/1008-00000001\r\nAppData: " + new string('x', 200_000) + "\r\nUniqueid: 1.1\r\n\r\n" +
            "Event: Hangup\r\nChannel: PJSIP/1008-00000001\r\nCause: 16\r\n\r\n");

        foreach (var chunk in new[] { int.MaxValue, 4096, 1 })
        {
            var parsed = await ParseAsync(bytes, () => chunk, banner: false, wantedEvents: null, maxLineBytes: 64 * 1024);

            var message = Assert.Single(parsed.Messages);
            Assert.Equal("Hangup", message.EventName);
            Assert.Equal("16", message["Cause"]);
            Assert.Equal(1, parsed.SkippedPackets);
        }
    }

    [Fact]
    public async Task A_packet_with_several_overlong_lines_counts_as_one_skipped_packet()
    {
        var longLine = new string('z', 5000);
        var bytes = Bytes($"Event: Newchannel\r\nA: {longLine}\r\nB: {longLine}\r\n\r\nEvent: Hangup\r\n\r\n");

        foreach (var chunk in new[] { int.MaxValue, 100 })
        {
            var parsed = await ParseAsync(bytes, () => chunk, banner: false, wantedEvents: null, maxLineBytes: 1024);

            Assert.Equal("Hangup", Assert.Single(parsed.Messages).EventName);
            Assert.Equal(1, parsed.SkippedPackets);
        }
    }

    [Fact]
    public async Task A_packet_longer_than_four_maximal_lines_is_skipped_so_garbage_cannot_grow_the_buffer()
    {
        var line = new string('w', 900) + "\r\n";
        var bytes = Bytes("Event: Newchannel\r\n" + string.Concat(Enumerable.Repeat(line, 10)) + "\r\nEvent: Hangup\r\n\r\n");

        var parsed = await ParseAsync(bytes, banner: false, maxLineBytes: 1024);

        Assert.Equal("Hangup", Assert.Single(parsed.Messages).EventName);
        Assert.Equal(1, parsed.SkippedPackets);
    }

    [Fact]
    public async Task An_overlong_line_on_a_plain_pipe_is_discarded_as_it_streams_in_so_the_writer_never_stalls()
    {
        // The default pause threshold (64 KiB) would stall the writer forever if the reader kept the line.
        var pipe = new Pipe();
        var reader = new AmiProtocolReader(pipe.Reader, maxLineBytes: 1024);
        var writing = Task.Run(async () =>
        {
            await pipe.Writer.WriteAsync(Bytes("Event: Newchannel\r\nAppData: "));
            for (var i = 0; i < 100; i++)
            {
                await pipe.Writer.WriteAsync(Bytes(new string('y', 4096)));
            }
            await pipe.Writer.WriteAsync(Bytes("\r\n\r\nEvent: Hangup\r\n\r\n"));
            await pipe.Writer.CompleteAsync();
        });

        var message = await reader.ReadMessageAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("Hangup", message?.EventName);
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(await reader.ReadMessageAsync());
    }

    [Fact]
    public async Task Invalid_UTF8_decodes_with_replacement_characters_and_valid_UTF8_survives()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Bytes("Event: Newchannel\r\nCallerIDName: A"));
        bytes.AddRange(new byte[] { 0xFF, 0xC3 });
        bytes.AddRange(Bytes("B\r\nConnectedLineName: خلیلی\r\n\r\n"));

        var parsed = await ParseAsync(bytes.ToArray(), banner: false);

        var message = Assert.Single(parsed.Messages);
        Assert.Equal("A\uFFFD\uFFFDB", message["CallerIDName"]);
        Assert.Equal("خلیلی", message["ConnectedLineName"]);
    }

    [Fact]
    public async Task Repeated_headers_are_all_kept_in_order_and_empty_values_are_empty_strings()
    {
        var parsed = await ParseAsync(
            Bytes("Event: Newchannel\r\nChanVariable: a=1\r\nAccountCode: \r\nChanVariable: b=2\r\nExten:\r\n\r\n"), banner: false);

        var message = Assert.Single(parsed.Messages);
        Assert.Equal(["a=1", "b=2"], message.GetAll("chanvariable"));
        Assert.Equal("a=1", message["ChanVariable"]);
        Assert.Equal("", message["AccountCode"]);
        Assert.Equal("", message["Exten"]);
        Assert.Equal(5, message.Count);
    }

    [Fact]
    public async Task A_packet_cut_off_by_the_end_of_the_stream_is_not_emitted()
    {
        var parsed = await ParseAsync(
            Bytes("Event: Newstate\r\nChannel: SIP/1008-0000000b\r\n\r\nEvent: Hangup\r\nChannel: SIP/1008-0000000b\r\nCause"), banner: false);

        Assert.Equal("Newstate", Assert.Single(parsed.Messages).EventName);
    }

    [Fact]
    public async Task Lines_without_a_colon_are_kept_as_Output_like_AMI_14_command_output()
    {
        var parsed = await ParseAsync(
            Bytes("Response: Follows\r\nPrivilege: Command\r\nActionID: 3\r\nName/username  Host\r\n--END COMMAND--\r\n\r\n"), banner: false);

        var message = Assert.Single(parsed.Messages);
        Assert.Equal(["Name/username  Host", "--END COMMAND--"], message.GetAll("Output"));
    }

    [Fact]
    public async Task Stray_empty_lines_between_packets_are_ignored()
    {
        var parsed = await ParseAsync(Bytes("\r\n\r\nEvent: Newstate\r\n\r\n\r\n\nEvent: Hangup\r\n\r\n"), banner: false);

        Assert.Equal(["Newstate", "Hangup"], parsed.Messages.Select(m => m.EventName));
    }

    [Fact]
    public async Task Banner_split_across_reads_gives_the_version()
    {
        var parsed = await ParseAsync(Bytes("Asterisk Call Manager/5.0.5\r\nResponse: Success\r\n\r\n"), () => 3, banner: true, null, 4096);

        Assert.Equal("5.0.5", parsed.Banner);
        Assert.Equal("Success", Assert.Single(parsed.Messages).Response);
    }

    [Fact]
    public async Task A_first_line_that_is_not_an_AMI_banner_is_refused()
    {
        var exception = await Assert.ThrowsAsync<AmiConnectionException>(() => ParseAsync(Bytes("SSH-2.0-OpenSSH_9.2\r\n")));

        Assert.Contains("SSH-2.0-OpenSSH_9.2", exception.Message);
    }

    [Fact]
    public async Task A_stream_that_closes_before_the_banner_is_refused()
    {
        await Assert.ThrowsAsync<AmiConnectionException>(() => ParseAsync(Bytes("Asterisk Call")));
    }
}
