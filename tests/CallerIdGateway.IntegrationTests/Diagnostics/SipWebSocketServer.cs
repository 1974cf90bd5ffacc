using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallerIdGateway.IntegrationTests.Diagnostics;

/// <summary>
/// A WebSocket listener on 127.0.0.1 that answers an upgrade the way a SIP-over-WebSocket server
/// (Asterisk's res_http_websocket, Kamailio) does: with the <c>sip</c> subprotocol the client asked
/// for — or, with <c>speaksSip: false</c>, with none, as an unrelated WebSocket service would.
/// </summary>
public sealed class SipWebSocketServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SipWebSocketServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>ws://127.0.0.1:port/ws</summary>
    public Uri Url { get; }

    public static async Task<SipWebSocketServer> StartAsync(bool speaksSip = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseWebSockets();
        app.Map("/ws", async context =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
                return;
            }
            var sip = speaksSip && context.WebSockets.WebSocketRequestedProtocols.Contains("sip");
            using var socket = await context.WebSockets.AcceptWebSocketAsync(sip ? "sip" : null);
            var buffer = new byte[1024];
            while (socket.State == System.Net.WebSockets.WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, context.RequestAborted);
                }
            }
        });
        await app.StartAsync();
        var address = app.Urls.First().Replace("http://", "ws://", StringComparison.Ordinal);
        return new SipWebSocketServer(app, new Uri(address + "/ws"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
