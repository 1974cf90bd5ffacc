using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CallerIdGateway.Benchmarks.Latency;

/// <summary>
/// A bare SignalR client (WebSockets without negotiate, JSON protocol) that hands every
/// <c>CallChanged</c> payload to a callback. Five hundred of the full .NET client cost the runner
/// more CPU than the gateway it measures on the same two cores. This one reads the socket and finds
/// the call's id and state with two byte searches (the contract puts <c>call</c> first, <c>id</c>
/// first in it); the full JSON parse is each agent's browser's work, on its own machine.
/// </summary>
internal sealed class LightHubClient(Uri hubUrl, string accessToken) : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;

    /// <summary>Connects, shakes hands, subscribes, then calls <paramref name="onCallChanged"/> (call id, state) for every push.</summary>
    public async Task StartAsync(string[] extensions, Action<string, string> onCallChanged)
    {
        var ws = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme == "https" ? "wss" : "ws", Query = "access_token=" + Uri.EscapeDataString(accessToken) }.Uri;
        await _socket.ConnectAsync(ws, CancellationToken.None);
        await SendAsync("""{"protocol":"json","version":1}""");
        var subscribe = JsonSerializer.Serialize(new { type = 1, invocationId = "1", target = "Subscribe", arguments = new object[] { extensions } });
        await SendAsync(subscribe);
        var subscribed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _receiving = ReceiveAsync((ReadOnlySpan<byte> message) =>
        {
            if (message.IndexOf("\"target\":\"CallChanged\""u8) >= 0)
            {
                onCallChanged(StringAfter(message, "\"call\":{\"id\":\""u8), StringAfter(message, "\"state\":\""u8));
            }
            else if (message.IndexOf("\"type\":3"u8) >= 0)
            {
                subscribed.TrySetResult();
            }
        });
        await subscribed.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private Task SendAsync(string message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message + (char)RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    private delegate void MessageHandler(ReadOnlySpan<byte> message);

    private static string StringAfter(ReadOnlySpan<byte> message, ReadOnlySpan<byte> prefix)
    {
        var start = message.IndexOf(prefix);
        if (start < 0)
        {
            return "";
        }
        var value = message[(start + prefix.Length)..];
        return Encoding.UTF8.GetString(value[..value.IndexOf((byte)'"')]);
    }

    private async Task ReceiveAsync(MessageHandler onMessage)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                buffer.Advance(result.Count);
                // Frames may hold several messages, or part of one: split on the record separator.
                var data = buffer.WrittenMemory;
                int end;
                var consumed = 0;
                while ((end = data.Span[consumed..].IndexOf(RecordSeparator)) >= 0)
                {
                    onMessage(data.Span.Slice(consumed, end));
                    consumed += end + 1;
                }
                var rest = data[consumed..].ToArray();
                buffer.ResetWrittenCount();
                buffer.Write(rest);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _receiving;
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        _socket.Dispose();
        _stop.Dispose();
    }
}
