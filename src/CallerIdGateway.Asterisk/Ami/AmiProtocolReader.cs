using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// Reads AMI from a <see cref="PipeReader"/>: the banner line, then one packet at a time.
/// Knows nothing of sockets, so it runs as well on an in-memory <see cref="Pipe"/>.
/// </summary>
/// <remarks>
/// The reader must be able to buffer <c>maxLineBytes</c> unconsumed bytes: a
/// <see cref="PipeReader.Create(Stream, StreamPipeReaderOptions?)"/> reader always can; a
/// <see cref="Pipe"/> needs a pause threshold above that (or none), or its writer would wait for
/// room that only the end of the line could free.
/// </remarks>
public sealed class AmiProtocolReader
{
    public const int DefaultMaxLineBytes = AmiFrameParser.DefaultMaxLineBytes;

    private const string BannerMarker = "Call Manager/";

    private readonly PipeReader _input;
    private readonly AmiFrameParser _parser;

    /// <param name="input">The bytes from Asterisk (or, in a test server, from a client).</param>
    /// <param name="wantedEvents">
    /// Event names to keep (case-insensitive); null or empty keeps all. Other events are dropped
    /// before their headers are decoded. Responses and events carrying an ActionID are always kept.
    /// </param>
    /// <param name="maxLineBytes">
    /// A packet with a longer line is skipped (one warning), never buffered whole; so is a packet
    /// longer than four such lines.
    /// </param>
    /// <param name="logger">Where skipped packets are reported.</param>
    public AmiProtocolReader(PipeReader input, IEnumerable<string>? wantedEvents = null, int maxLineBytes = DefaultMaxLineBytes, ILogger? logger = null)
        : this(input, new AmiEventFilter(wantedEvents), maxLineBytes, logger)
    {
    }

    internal AmiProtocolReader(PipeReader input, AmiEventFilter filter, int maxLineBytes, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(input);
        _input = input;
        _parser = new AmiFrameParser(filter, maxLineBytes, logger ?? NullLogger.Instance);
    }

    /// <summary>Packets skipped because a line (or the packet) was over the limit.</summary>
    public long SkippedPackets => _parser.SkippedPackets;

    /// <summary>Events dropped because they were not wanted.</summary>
    public long FilteredEvents => _parser.FilteredEvents;

    /// <summary>
    /// Reads the banner (<c>Asterisk Call Manager/11.0.0</c>, no empty line after it) and returns
    /// the AMI version it names.
    /// </summary>
    /// <exception cref="AmiConnectionException">The stream ended, or its first line is not an AMI banner.</exception>
    public async ValueTask<string> ReadBannerAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (_parser.TryReadLine(ref buffer, out var line))
            {
                _input.AdvanceTo(buffer.Start);
                var marker = line.IndexOf(BannerMarker, StringComparison.OrdinalIgnoreCase);
                if (marker < 0)
                {
                    var shown = line.Length > 80 ? line[..80] + "…" : line;
                    throw new AmiConnectionException($"Expected the AMI banner 'Asterisk Call Manager/x.y.z', got '{shown}'.");
                }
                return line[(marker + BannerMarker.Length)..].Trim();
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new AmiConnectionException("The connection closed before the AMI banner.");
            }
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The pending AMI read was cancelled.");
            }
        }
    }

    /// <summary>The next kept packet, or null when the stream has ended.</summary>
    public async ValueTask<AmiMessage?> ReadMessageAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (_parser.TryReadMessage(ref buffer, out var message))
            {
                // Only up to the end of this packet was looked at: the next call parses the rest
                // without waiting for the socket.
                _input.AdvanceTo(buffer.Start);
                return message;
            }
            _input.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                _parser.OnEndOfStream(buffer.Length);
                return null;
            }
            if (result.IsCanceled)
            {
                throw new OperationCanceledException("The pending AMI read was cancelled.");
            }
        }
    }
}
