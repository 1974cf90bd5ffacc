using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Logging;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// AMI framing without I/O: turns bytes into packets (<c>Key: Value</c> lines ended by an empty
/// line). It keeps the state of a packet split across reads, so callers feed it whatever the
/// socket delivered and hand back what it did not consume.
/// </summary>
/// <remarks>
/// A packet's lines are copied into one reusable buffer and decoded only when the packet is
/// complete and wanted: by then the parser knows the <c>Event</c> name, whether it is a response,
/// and whether it carries an <c>ActionID</c> (an item of an event list we asked for), wherever in
/// the packet those lines were. Unwanted events cost a copy and no strings.
/// </remarks>
internal sealed class AmiFrameParser
{
    public const int DefaultMaxLineBytes = 64 * 1024;

    // A packet may hold several long lines, but not without bound: garbage without blank lines
    // must not grow the buffer forever.
    private const int MaxLinesPerPacketOfMaxLength = 4;

    private const byte LineFeed = (byte)'\n';
    private const byte CarriageReturn = (byte)'\r';

    private readonly AmiEventFilter _filter;
    private readonly int _maxLineBytes;
    private readonly int _maxPacketBytes;
    private readonly ILogger _logger;
    private readonly AmiStringPool _keys = new(slots: 256, maxLength: 64);
    private readonly AmiStringPool _values = new(slots: 1024, maxLength: 40);

    // The packet being assembled: its lines back to back, each ended by '\n', CRs removed.
    private byte[] _packet = new byte[4096];
    private int _packetLength;
    private int _lineCount;
    private int _eventValueStart = -1;
    private int _eventValueLength;
    private bool _isResponse;
    private bool _hasActionId;

    // Inside a line longer than the limit: its bytes are dropped as they come, up to its '\n'.
    private bool _discardingLine;

    // The packet had a line over the limit: everything up to its empty line is dropped.
    private bool _discardingPacket;

    public AmiFrameParser(AmiEventFilter filter, int maxLineBytes, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 256);
        _filter = filter;
        _maxLineBytes = maxLineBytes;
        _maxPacketBytes = (int)Math.Min((long)maxLineBytes * MaxLinesPerPacketOfMaxLength, Array.MaxLength);
        _logger = logger;
    }

    /// <summary>Packets dropped because a line or the packet was over the limit.</summary>
    public long SkippedPackets { get; private set; }

    /// <summary>Events dropped because the filter did not want them.</summary>
    public long FilteredEvents { get; private set; }

    /// <summary>
    /// Reads one line (the banner, which has no empty line after it). Returns false when the
    /// line is not complete yet; <paramref name="buffer"/> then still holds it.
    /// </summary>
    public bool TryReadLine(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out string? line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, LineFeed))
        {
            if (reader.Remaining > _maxLineBytes)
            {
                throw new AmiConnectionException($"The first line from the server is longer than {_maxLineBytes} bytes: not an AMI banner.");
            }
            line = null;
            return false;
        }
        buffer = buffer.Slice(reader.Position);
        line = Encoding.UTF8.GetString(bytes).TrimEnd('\r');
        return true;
    }

    /// <summary>
    /// Reads the next kept packet. Consumed bytes are sliced off <paramref name="buffer"/>; when
    /// this returns false it holds only an unfinished line, to be offered again with more bytes.
    /// </summary>
    public bool TryReadMessage(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out AmiMessage? message)
    {
        var reader = new SequenceReader<byte>(buffer);
        try
        {
            while (true)
            {
                if (_discardingLine)
                {
                    if (!reader.TryAdvanceTo(LineFeed))
                    {
                        reader.AdvanceToEnd();
                        message = null;
                        return false;
                    }
                    _discardingLine = false;
                    continue;
                }

                if (!reader.TryReadTo(out ReadOnlySequence<byte> line, LineFeed))
                {
                    // Decide on the unfinished line now: waiting for its end would buffer it whole.
                    if (reader.Remaining > _maxLineBytes)
                    {
                        if (!_discardingPacket)
                        {
                            SkipPacket(lineTooLong: true);
                        }
                        _discardingLine = true;
                        reader.AdvanceToEnd();
                    }
                    message = null;
                    return false;
                }

                if (TryAcceptLine(line, out message))
                {
                    return true;
                }
            }
        }
        finally
        {
            buffer = buffer.Slice(reader.Position);
        }
    }

    /// <summary>Called when the stream ended; a packet without its empty line is dropped.</summary>
    /// <remarks>
    /// A packet is complete only with its empty line. One cut off by a closing socket may lack
    /// headers (a Hangup without its Cause, a list item without its ActionID), and acting on half a
    /// packet is worse than missing it: the resync after the reconnect fills the gap.
    /// </remarks>
    public void OnEndOfStream(long unfinishedLineBytes)
    {
        if (_lineCount > 0 || _discardingPacket || unfinishedLineBytes > 0)
        {
            AmiLog.StreamEndedInsidePacket(_logger, _lineCount);
        }
        ResetPacket();
        _discardingLine = false;
    }

    private bool TryAcceptLine(in ReadOnlySequence<byte> line, [NotNullWhen(true)] out AmiMessage? message)
    {
        message = null;
        var length = line.Length;

        if (_discardingPacket)
        {
            if (IsEmptyLine(line))
            {
                ResetPacket();
            }
            return false;
        }

        if (IsEmptyLine(line))
        {
            return TryCompletePacket(out message);
        }

        // Compared on every line, however it was split across reads, so a line just over the
        // limit is refused the same way whether it came whole or in pieces.
        if (length > _maxLineBytes)
        {
            SkipPacket(lineTooLong: true);
            return false;
        }

        if (_packetLength + length + 1 > _maxPacketBytes)
        {
            SkipPacket(lineTooLong: false);
            return false;
        }

        EnsureCapacity(_packetLength + (int)length + 1);
        var destination = _packet.AsSpan(_packetLength, (int)length);
        line.CopyTo(destination);

        // CRLF is the protocol; a bare LF is accepted too (Asterisk itself accepts it from clients).
        var content = destination[^1] == CarriageReturn ? destination[..^1] : destination;

        NoteWellKnownHeader(content, _packetLength);
        _packet[_packetLength + content.Length] = LineFeed;
        _packetLength += content.Length + 1;
        _lineCount++;
        return false;
    }

    private void NoteWellKnownHeader(ReadOnlySpan<byte> line, int lineStart)
    {
        if (_eventValueStart < 0 && HasKey(line, "Event"u8))
        {
            var value = ValueOf(line, "Event"u8.Length);
            _eventValueStart = lineStart + (line.Length - value.Length);
            _eventValueLength = value.Length;
        }
        else if (!_isResponse && HasKey(line, "Response"u8))
        {
            _isResponse = true;
        }
        else if (!_hasActionId && HasKey(line, "ActionID"u8))
        {
            _hasActionId = true;
        }
    }

    private bool TryCompletePacket([NotNullWhen(true)] out AmiMessage? message)
    {
        message = null;
        if (_lineCount == 0)
        {
            return false; // a stray empty line between packets
        }

        // Responses, and events carrying an ActionID (items of an event list we asked for), are
        // always kept: the connection matches them to the pending action.
        var keep = _isResponse || _hasActionId || _eventValueStart < 0
            || _filter.Wants(_packet.AsSpan(_eventValueStart, _eventValueLength));
        if (keep)
        {
            message = BuildMessage();
        }
        else
        {
            FilteredEvents++;
        }
        ResetPacket();
        return keep;
    }

    private AmiMessage BuildMessage()
    {
        var headers = new KeyValuePair<string, string>[_lineCount];
        ReadOnlySpan<byte> rest = _packet.AsSpan(0, _packetLength);
        for (var i = 0; i < headers.Length; i++)
        {
            var end = rest.IndexOf(LineFeed);
            headers[i] = ParseHeader(rest[..end]);
            rest = rest[(end + 1)..];
        }
        return new AmiMessage(headers);
    }

    private KeyValuePair<string, string> ParseHeader(ReadOnlySpan<byte> line)
    {
        var colon = line.IndexOf((byte)':');
        if (colon < 0)
        {
            // Not "Key: Value". Asterisk before 14 answered "Action: Command" with "Response: Follows"
            // and the CLI output as bare lines; 14+ sends each as an "Output:" header. Keeping such a
            // line as Output makes both look alike, and a stray line costs nothing.
            return new("Output", Decode(line));
        }
        var key = line[..colon].TrimEnd((byte)' ');
        // Asterisk writes "%s: %s": only that one space is the separator. More spaces belong to
        // the value (VarSet of RTPAUDIOQOSLOSS starts with some), so they are kept.
        var value = line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }
        return new(_keys.Get(key), _values.Get(value));
    }

    // Invalid UTF-8 becomes U+FFFD: a bad byte in a caller name must not cost the packet.
    private static string Decode(ReadOnlySpan<byte> bytes) => bytes.IsEmpty ? "" : Encoding.UTF8.GetString(bytes);

    private static bool HasKey(ReadOnlySpan<byte> line, ReadOnlySpan<byte> key) =>
        line.Length > key.Length && line[key.Length] == (byte)':' && Ascii.EqualsIgnoreCase(line[..key.Length], key);

    private static ReadOnlySpan<byte> ValueOf(ReadOnlySpan<byte> line, int keyLength) =>
        line[(keyLength + 1)..].TrimStart(" \t"u8);

    private static bool IsEmptyLine(in ReadOnlySequence<byte> line) =>
        line.IsEmpty || (line.Length == 1 && line.FirstSpan[0] == CarriageReturn);

    private void SkipPacket(bool lineTooLong)
    {
        SkippedPackets++;
        if (lineTooLong)
        {
            AmiLog.PacketSkippedLineTooLong(_logger, _maxLineBytes);
        }
        else
        {
            AmiLog.PacketSkippedTooLarge(_logger, _maxPacketBytes);
        }
        ResetPacket();
        _discardingPacket = true;
    }

    private void ResetPacket()
    {
        _packetLength = 0;
        _lineCount = 0;
        _eventValueStart = -1;
        _eventValueLength = 0;
        _isResponse = false;
        _hasActionId = false;
        _discardingPacket = false;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed > _packet.Length)
        {
            Array.Resize(ref _packet, (int)Math.Min(Math.Max((long)_packet.Length * 2, needed), Array.MaxLength));
        }
    }
}
