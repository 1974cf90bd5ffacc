using System.Buffers;
using System.Net.WebSockets;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>What <see cref="AriMessageAssembler.Advance"/> made of a received fragment.</summary>
internal enum AriMessageKind
{
    /// <summary>More fragments of the same message follow.</summary>
    Incomplete,

    /// <summary>A whole text message is in <see cref="AriMessageAssembler.Message"/>.</summary>
    Text,

    /// <summary>A binary message ended; ARI never sends one, so it was dropped.</summary>
    Binary,

    /// <summary>A text message longer than the limit ended; it was drained and dropped.</summary>
    TooLarge,
}

internal readonly record struct AriAssembledMessage(AriMessageKind Kind, long Length);

/// <summary>
/// Joins WebSocket fragments into whole messages in one pooled, growing buffer, so the socket
/// loop stays a plain receive/dispatch loop. A message over the limit, or a binary one, is still
/// read to its end (that keeps the connection usable) but into the same buffer, overwriting itself.
/// Not thread-safe: one instance per receive loop.
/// </summary>
internal sealed class AriMessageAssembler : IDisposable
{
    private const int MinimumReceiveSpace = 4 * 1024;
    private const int InitialSize = 16 * 1024;

    // After a message this large, hand the big buffer back rather than keep it for the connection's life.
    private const int RetainedSize = 64 * 1024;

    private readonly int _maxMessageBytes;
    private byte[] _buffer;
    private int _length;
    private long _dropped;
    private AriMessageKind _dropping = AriMessageKind.Incomplete;
    private bool _messageReady;

    public AriMessageAssembler(int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        _maxMessageBytes = maxMessageBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialSize, maxMessageBytes + MinimumReceiveSpace));
    }

    /// <summary>The last whole text message; valid until the next <see cref="GetReceiveMemory"/>.</summary>
    public ReadOnlySpan<byte> Message => _messageReady ? _buffer.AsSpan(0, _length) : throw new InvalidOperationException("No complete message.");

    /// <summary>Where the next fragment should be received.</summary>
    public Memory<byte> GetReceiveMemory()
    {
        if (_messageReady)
        {
            _messageReady = false;
            _length = 0;
        }
        if (_dropping != AriMessageKind.Incomplete)
        {
            return _buffer;
        }
        if (_length == 0 && _buffer.Length > RetainedSize)
        {
            Replace(InitialSize);
        }
        if (_buffer.Length - _length < MinimumReceiveSpace)
        {
            // Room for one fragment past the limit is enough to see that the limit was crossed.
            var size = Math.Min(Math.Max(_buffer.Length * 2, _length + MinimumReceiveSpace), _maxMessageBytes + MinimumReceiveSpace);
            Replace(size);
        }
        return _buffer.AsMemory(_length);
    }

    /// <summary>Accounts for <paramref name="count"/> bytes received into the memory last handed out.</summary>
    public AriAssembledMessage Advance(int count, WebSocketMessageType type, bool endOfMessage)
    {
        if (_dropping == AriMessageKind.Incomplete)
        {
            if (type == WebSocketMessageType.Binary)
            {
                StartDropping(AriMessageKind.Binary, count);
            }
            else if (_length + count > _maxMessageBytes)
            {
                StartDropping(AriMessageKind.TooLarge, _length + count);
            }
            else
            {
                _length += count;
                if (!endOfMessage)
                {
                    return new(AriMessageKind.Incomplete, _length);
                }
                _messageReady = true;
                return new(AriMessageKind.Text, _length);
            }
        }
        else
        {
            _dropped += count;
        }

        if (!endOfMessage)
        {
            return new(AriMessageKind.Incomplete, _dropped);
        }
        var dropped = new AriAssembledMessage(_dropping, _dropped);
        _dropping = AriMessageKind.Incomplete;
        _dropped = 0;
        return dropped;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private void StartDropping(AriMessageKind kind, long received)
    {
        _dropping = kind;
        _dropped = received;
        _length = 0;
    }

    private void Replace(int size)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
