using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace CallerIdGateway.Asterisk.Ari;

public sealed partial class AriEventStream
{
    private const int PreviewBytes = 200;

    /// <summary>
    /// The only place that reads the socket. Frames that cannot be used (not JSON, no type, missing
    /// fields, too large, binary) are logged once each and skipped: one bad frame from a PBX we do
    /// not control must not cost the connection and every call it would have reported.
    /// </summary>
    private async Task<ConnectionOutcome> ReceiveAsync(ClientWebSocket socket, ChannelWriter<AriEvent> events, CancellationToken cancellationToken)
    {
        using var assembler = new AriMessageAssembler(_options.MaxMessageBytes);
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(assembler.GetReceiveMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    var reason = string.IsNullOrEmpty(socket.CloseStatusDescription)
                        ? $"closed by Asterisk ({socket.CloseStatus})"
                        : $"closed by Asterisk ({socket.CloseStatus}: {socket.CloseStatusDescription})";
                    await CloseQuietlyAsync(socket).ConfigureAwait(false);
                    return new ConnectionOutcome(Replaced: false, reason);
                }

                var message = assembler.Advance(result.Count, result.MessageType, result.EndOfMessage);
                if (message.Kind == AriMessageKind.Incomplete)
                {
                    continue;
                }
                MarkEventReceived();
                if (message.Kind == AriMessageKind.Binary)
                {
                    LogSkippedBinary(message.Length);
                    continue;
                }
                if (message.Kind == AriMessageKind.TooLarge)
                {
                    LogSkippedTooLarge(message.Length, _options.MaxMessageBytes);
                    continue;
                }
                if (!_parser.TryParse(assembler.Message, out var evt, out var error))
                {
                    LogSkippedInvalid(error, Preview(assembler.Message));
                    continue;
                }
                if (evt is null)
                {
                    continue; // a type nobody asked for
                }
                await events.WriteAsync(evt, cancellationToken).ConfigureAwait(false);
                if (evt is AriApplicationReplaced)
                {
                    // Reconnecting would take the name back and the other instance would do the same: stop instead.
                    LogReplaced(_displayUrl, _options.Application);
                    await CloseQuietlyAsync(socket).ConfigureAwait(false);
                    return new ConnectionOutcome(Replaced: true, "application replaced");
                }
            }
        }
        finally
        {
            events.TryComplete();
        }
    }

    /// <summary>Best-effort close handshake (shutdown, or answering Asterisk's close); the socket is disposed right after anyway.</summary>
    private static async Task CloseQuietlyAsync(ClientWebSocket socket)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The peer is gone already; nothing left to say goodbye to.
        }
    }

    private static string Preview(ReadOnlySpan<byte> frame) =>
        frame.Length <= PreviewBytes ? Encoding.UTF8.GetString(frame) : Encoding.UTF8.GetString(frame[..PreviewBytes]) + "…";
}
