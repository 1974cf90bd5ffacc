using System.IO.Pipelines;
using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

/// <summary>Runs bytes through <see cref="AmiProtocolReader"/> the way a socket would deliver them: in chunks.</summary>
internal static class AmiTestStreams
{
    /// <summary>The event names the gateway asks for (see the AMI client brief).</summary>
    public static readonly string[] GatewayEvents =
    [
        "Newchannel", "Newstate", "NewConnectedLine", "DialBegin", "DialState", "DialEnd", "Dial", "Hangup",
        "HangupRequest", "SoftHangupRequest", "BridgeEnter", "BridgeLeave", "CoreShowChannel", "CoreShowChannelsComplete",
        "FullyBooted", "Shutdown", "QueueCallerJoin", "QueueCallerLeave", "QueueCallerAbandon", "AgentCalled",
        "AgentConnect", "AgentRingNoAnswer",
    ];

    public sealed record Parsed(string? Banner, IReadOnlyList<AmiMessage> Messages, long SkippedPackets, long FilteredEvents)
    {
        /// <summary>Each message in wire form, for comparisons that show the difference when they fail.</summary>
        public IReadOnlyList<string> Wire => Messages.Select(m => m.ToString()).ToList();
    }

    public static Task<Parsed> ParseAsync(byte[] bytes, bool banner = true, IEnumerable<string>? wantedEvents = null, int maxLineBytes = AmiProtocolReader.DefaultMaxLineBytes) =>
        ParseAsync(bytes, () => int.MaxValue, banner, wantedEvents, maxLineBytes);

    public static Task<Parsed> ParseInChunksAsync(byte[] bytes, int seed, int maxChunk, bool banner = true, IEnumerable<string>? wantedEvents = null)
    {
        var random = new Random(seed);
        return ParseAsync(bytes, () => random.Next(1, maxChunk + 1), banner, wantedEvents, AmiProtocolReader.DefaultMaxLineBytes);
    }

    public static async Task<Parsed> ParseAsync(byte[] bytes, Func<int> nextChunk, bool banner, IEnumerable<string>? wantedEvents, int maxLineBytes)
    {
        var input = PipeReader.Create(new ChunkedStream(bytes, nextChunk), new StreamPipeReaderOptions(bufferSize: 4096));
        var reader = new AmiProtocolReader(input, wantedEvents, maxLineBytes);
        var version = banner ? await reader.ReadBannerAsync() : null;
        var messages = new List<AmiMessage>();
        while (await reader.ReadMessageAsync() is { } message)
        {
            messages.Add(message);
        }
        return new Parsed(version, messages, reader.SkippedPackets, reader.FilteredEvents);
    }

    public static byte[] Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>A read-only stream that hands out at most the next chunk size per read, like a socket.</summary>
    private sealed class ChunkedStream(byte[] data, Func<int> nextChunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var size = Math.Min(Math.Min(buffer.Length, nextChunk()), data.Length - _position);
            data.AsSpan(_position, size).CopyTo(buffer);
            _position += size;
            return size;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
