using System.Net.WebSockets;
using System.Text;
using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Asterisk.Tests.Ari;

public class AriMessageAssemblerTests
{
    [Fact]
    public void A_message_in_one_fragment_is_complete_at_once()
    {
        using var assembler = new AriMessageAssembler(1024);

        var result = Receive(assembler, "{\"type\":\"Dial\"}"u8, WebSocketMessageType.Text, endOfMessage: true);

        Assert.Equal(new AriAssembledMessage(AriMessageKind.Text, 15), result);
        Assert.Equal("{\"type\":\"Dial\"}", Encoding.UTF8.GetString(assembler.Message));
    }

    [Fact]
    public void Fragments_are_joined_in_order()
    {
        using var assembler = new AriMessageAssembler(1024);

        Assert.Equal(AriMessageKind.Incomplete, Receive(assembler, "{\"type\":"u8, WebSocketMessageType.Text, endOfMessage: false).Kind);
        Assert.Equal(AriMessageKind.Incomplete, Receive(assembler, "\"Dial\""u8, WebSocketMessageType.Text, endOfMessage: false).Kind);
        var result = Receive(assembler, "}"u8, WebSocketMessageType.Text, endOfMessage: true);

        Assert.Equal(AriMessageKind.Text, result.Kind);
        Assert.Equal("{\"type\":\"Dial\"}", Encoding.UTF8.GetString(assembler.Message));
    }

    [Fact]
    public void A_message_larger_than_the_first_buffer_grows_it()
    {
        using var assembler = new AriMessageAssembler(1024 * 1024);
        var payload = Payload(300 * 1024);

        var results = Feed(assembler, payload, WebSocketMessageType.Text, fragmentSize: 7000);

        Assert.Equal(new AriAssembledMessage(AriMessageKind.Text, payload.Length), results[^1]);
        Assert.True(assembler.Message.SequenceEqual(payload));
    }

    [Fact]
    public void A_message_of_exactly_the_limit_is_kept()
    {
        using var assembler = new AriMessageAssembler(64 * 1024);
        var payload = Payload(64 * 1024);

        var results = Feed(assembler, payload, WebSocketMessageType.Text, fragmentSize: 10_000);

        Assert.Equal(AriMessageKind.Text, results[^1].Kind);
        Assert.True(assembler.Message.SequenceEqual(payload));
    }

    [Fact]
    public void A_message_over_the_limit_is_drained_reported_and_the_next_one_is_whole()
    {
        using var assembler = new AriMessageAssembler(64 * 1024);
        var huge = Payload(1_500_000);

        var results = Feed(assembler, huge, WebSocketMessageType.Text, fragmentSize: 16 * 1024);

        Assert.Equal(new AriAssembledMessage(AriMessageKind.TooLarge, huge.Length), results[^1]);
        Assert.All(results[..^1], r => Assert.Equal(AriMessageKind.Incomplete, r.Kind));

        var next = Receive(assembler, "{\"type\":\"StasisEnd\"}"u8, WebSocketMessageType.Text, endOfMessage: true);
        Assert.Equal(AriMessageKind.Text, next.Kind);
        Assert.Equal("{\"type\":\"StasisEnd\"}", Encoding.UTF8.GetString(assembler.Message));
    }

    [Fact]
    public void A_binary_message_is_drained_and_reported()
    {
        using var assembler = new AriMessageAssembler(1024);

        var results = Feed(assembler, Payload(5000), WebSocketMessageType.Binary, fragmentSize: 1000);

        Assert.Equal(new AriAssembledMessage(AriMessageKind.Binary, 5000), results[^1]);
        Assert.Equal(AriMessageKind.Text, Receive(assembler, "{}"u8, WebSocketMessageType.Text, endOfMessage: true).Kind);
    }

    [Fact]
    public void A_partial_message_is_not_readable()
    {
        using var assembler = new AriMessageAssembler(1024);
        Receive(assembler, "{"u8, WebSocketMessageType.Text, endOfMessage: false);

        Assert.Throws<InvalidOperationException>(() => assembler.Message.Length);
    }

    private static byte[] Payload(int length) => [.. Enumerable.Range(0, length).Select(i => (byte)('a' + (i % 26)))];

    /// <summary>One WebSocket fragment; like ReceiveAsync, it may take several reads when the buffer is smaller.</summary>
    private static AriAssembledMessage Receive(AriMessageAssembler assembler, ReadOnlySpan<byte> fragment, WebSocketMessageType type, bool endOfMessage)
    {
        while (true)
        {
            var memory = assembler.GetReceiveMemory();
            var count = Math.Min(memory.Length, fragment.Length);
            fragment[..count].CopyTo(memory.Span);
            fragment = fragment[count..];
            var result = assembler.Advance(count, type, endOfMessage && fragment.IsEmpty);
            if (fragment.IsEmpty)
            {
                return result;
            }
            Assert.Equal(AriMessageKind.Incomplete, result.Kind);
        }
    }

    private static List<AriAssembledMessage> Feed(AriMessageAssembler assembler, byte[] message, WebSocketMessageType type, int fragmentSize) =>
        message.Chunk(fragmentSize)
            .Select((fragment, i) => Receive(assembler, fragment, type, endOfMessage: (i + 1) * fragmentSize >= message.Length))
            .ToList();
}
