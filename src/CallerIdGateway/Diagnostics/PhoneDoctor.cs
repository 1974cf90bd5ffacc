using System.Net.WebSockets;
using CallerIdGateway.Auth;
using CallerIdGateway.Phone;

namespace CallerIdGateway.Diagnostics;

/// <summary>
/// The browser phone, when an agent has one: its SIP-over-WebSocket address answers an upgrade with
/// the <c>sip</c> subprotocol (what JsSIP asks for), and its SIP user is an endpoint on the PBX.
/// Whether that endpoint is set up for WebRTC (<c>webrtc = yes</c>) is not asked: no capture shows
/// how ARI or AMI report it, so the line says where to look instead.
/// </summary>
internal static class PhoneDoctor
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task CheckAsync(
        DoctorReport report, PhoneOptions phone, AuthOptions auth, IReadOnlyList<PbxEndpoint>? endpoints, CancellationToken cancellationToken)
    {
        var agents = auth.Users.Where(u => u.Phone is { } p && (p.Username.Length > 0 || p.SipUri.Length > 0)).ToList();
        if (agents.Count == 0)
        {
            report.Skip("browser phone", "off (no agent has Auth:Users:N:Phone).");
            return;
        }
        var urls = agents.Select(a => a.Phone!.WebSocketUrl.Length > 0 ? a.Phone.WebSocketUrl : phone.WebSocketUrl)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (var url in urls)
        {
            await CheckWebSocketAsync(report, url, cancellationToken);
        }
        foreach (var agent in agents.OrderBy(a => a.Username, StringComparer.Ordinal))
        {
            CheckEndpoint(report, agent, endpoints);
        }
    }

    private static async Task CheckWebSocketAsync(DoctorReport report, string url, CancellationToken cancellationToken)
    {
        const string subject = "browser phone WebSocket";
        if (url.Length == 0)
        {
            report.Fail(subject, "an agent has a phone but no WebSocket address.", "Set Phone:WebSocketUrl (e.g. wss://pbx.example:8089/ws) or the agent's Phone:WebSocketUrl.");
            return;
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            report.Fail(subject, $"{url} is not a ws:// or wss:// address.", "Set Phone:WebSocketUrl to the PBX's SIP WebSocket, e.g. wss://pbx.example:8089/ws.");
            return;
        }
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("sip");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(uri, deadline.Token);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var why = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.GetBaseException().Message;
            report.Fail(subject, $"{url} does not answer a WebSocket upgrade: {why}.",
                "Check the address and port (Asterisk: http.conf tlsenable/tlsbindaddr and a PJSIP transport of protocol wss; Kamailio: its WebSocket listener), the certificate (browsers refuse one they do not trust) and the firewall.");
            return;
        }
        if (socket.SubProtocol != "sip")
        {
            report.Fail(subject, $"{url} answers a WebSocket upgrade, but not with the sip subprotocol (it chose '{socket.SubProtocol ?? "none"}'): it is not a SIP server.",
                "Point Phone:WebSocketUrl at the PBX's SIP WebSocket (Asterisk: /ws on the HTTP server's TLS port).");
        }
        else
        {
            report.Pass(subject, $"{url} answers a WebSocket upgrade with the sip subprotocol.");
        }
        try
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "doctor", deadline.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The answer is known; how the server takes the close does not matter.
        }
    }

    private static void CheckEndpoint(DoctorReport report, AgentUser agent, IReadOnlyList<PbxEndpoint>? endpoints)
    {
        var subject = $"browser phone of {agent.Username}";
        var user = agent.Phone!.Username.Length > 0 ? agent.Phone.Username : UserPart(agent.Phone.SipUri);
        if (endpoints is null)
        {
            report.Skip(subject, $"SIP user '{user}' not looked up: neither ARI nor AMI answered.");
            return;
        }
        var endpoint = endpoints.FirstOrDefault(e => e.Resource.Equals(user, StringComparison.OrdinalIgnoreCase));
        if (endpoint is null)
        {
            report.Fail(subject, $"SIP user '{user}' is not an endpoint on the PBX.",
                $"Create the WebRTC extension '{user}' on the PBX (docs/browser-phone.md), or correct Auth:Users:N:Phone:Username.");
            return;
        }
        report.Pass(subject, $"{endpoint.Name} exists on the PBX ({endpoint.State}). Not checked: that it is a WebRTC endpoint (CLI: pjsip show endpoint {user}, webrtc: true).");
    }

    private static string UserPart(string sipUri)
    {
        var start = sipUri.IndexOf(':', StringComparison.Ordinal) + 1;
        var at = sipUri.IndexOf('@', StringComparison.Ordinal);
        return at > start ? sipUri[start..at] : sipUri;
    }
}
