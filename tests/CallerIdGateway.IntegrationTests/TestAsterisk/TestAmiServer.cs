using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>How <see cref="TestAmiServer.ReplayAsync"/> cuts a capture into writes.</summary>
/// <param name="Seed">Seeds the random split points, so a failing run can be repeated.</param>
/// <param name="MaxChunkBytes">Each write is 1 to this many bytes.</param>
/// <param name="DelayBetweenChunks">Optional pause after each write, to make the client see separate reads.</param>
public sealed record TestAmiChunking(int Seed, int MaxChunkBytes, TimeSpan DelayBetweenChunks = default);

/// <summary>
/// An AMI server on 127.0.0.1 for tests: banner, Login (plain and MD5 challenge), Events, Ping,
/// CoreShowChannels and Logoff answered the way Asterisk answers them, and the event streams of
/// the real captures in tests/fixtures/asterisk replayed byte for byte. Restartable on its port.
/// </summary>
public sealed class TestAmiServer : IAsyncDisposable
{
    public const string DefaultUsername = "gateway";
    public const string DefaultSecret = "test-only-ami-secret";

    private readonly ConcurrentDictionary<Client, byte> _clients = new();
    private readonly ConcurrentQueue<AmiMessage> _actions = new();
    private readonly ConcurrentDictionary<string, string> _otherUsers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<(string User, AmiMessage Action)> _actionsByUser = new();
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task _acceptLoop = Task.CompletedTask;
    private int _loginAttempts;
    private int _logins;
    private int _connections;
    private int _pingsAnswered;

    public TestAmiServer(string username = DefaultUsername, string secret = DefaultSecret)
    {
        Username = username;
        Secret = secret;
    }

    public string Username { get; }

    public string Secret { get; }

    /// <summary>The version in the banner; by default the one Asterisk 22 sent in the captures.</summary>
    public string Version { get; set; } = TestAmiCaptures.BannerVersion(AsteriskFixtures.Pjsip22);

    /// <summary>Answer every Login with "Authentication failed" (and close, as Asterisk does).</summary>
    public bool RefuseAuth { get; set; }

    /// <summary>False: leave Ping unanswered, as a hung Asterisk would.</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>The capture (version folder) whose CoreShowChannels answer to replay; null answers an empty list.</summary>
    public string? CoreShowChannelsCapture { get; set; }

    /// <summary>What <c>PJSIPShowEndpoints</c> (or, with <see cref="ChanSip"/>, <c>SIPpeers</c>) lists; by default the captures' phones and trunk, registered.</summary>
    public IReadOnlyList<TestPbxEndpoint> Endpoints { get; set; } = TestPbxEndpoint.CaptureDefaults;

    /// <summary>Answer like Asterisk 16 with chan_sip (Issabel): <c>SIPpeers</c> lists the endpoints and <c>PJSIPShowEndpoints</c> is an unknown command.</summary>
    public bool ChanSip { get; set; }

    /// <summary>
    /// Actions answered "Permission denied", as Asterisk answers a user whose write classes do not
    /// cover them (main/manager.c), e.g. CoreShowChannels without <c>write = reporting</c>.
    /// </summary>
    public ISet<string> DeniedActions { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The bound port: 0 until the first start, then kept across restarts.</summary>
    public int Port { get; private set; }

    public int LoginAttempts => Volatile.Read(ref _loginAttempts);

    public int Logins => Volatile.Read(ref _logins);

    public int Connections => Volatile.Read(ref _connections);

    public int PingsAnswered => Volatile.Read(ref _pingsAnswered);

    /// <summary>Every action received, in order, from all clients.</summary>
    public IReadOnlyList<AmiMessage> ReceivedActions => _actions.ToArray();

    public bool HasLoggedInClient => _clients.Keys.Any(c => c.Authenticated);

    /// <summary>
    /// Answers the control action of a capture (Originate, Hangup, BlindTransfer) as Asterisk did:
    /// if it matches the recorded one, the recorded response (and OriginateResponse) to the sender,
    /// then the events it caused to every logged-in client; otherwise an error naming the difference.
    /// </summary>
    public TestAmiControlCapture? Control { get; set; }

    /// <summary>Accepts a second manager.conf user besides <see cref="Username"/> (a call-control user).</summary>
    public void AddUser(string username, string secret) => _otherUsers[username] = secret;

    /// <summary>The actions a user sent after logging in, in order (Login and Challenge not included).</summary>
    public IReadOnlyList<AmiMessage> ActionsOf(string username) =>
        [.. _actionsByUser.Where(a => a.User.Equals(username, StringComparison.OrdinalIgnoreCase)).Select(a => a.Action)];

    public Task WaitForUserAsync(string username, TimeSpan? timeout = null) =>
        TestAmiWait.UntilAsync(() => _clients.Keys.Any(c => c.Authenticated && string.Equals(c.User, username, StringComparison.OrdinalIgnoreCase)),
            timeout, $"{username} logged in to the test AMI server");

    public static async Task<TestAmiServer> StartNewAsync(string username = DefaultUsername, string secret = DefaultSecret)
    {
        var server = new TestAmiServer(username, secret);
        await server.StartAsync();
        return server;
    }

    public Task StartAsync()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("Already started.");
        }
        var listener = new TcpListener(IPAddress.Loopback, Port);
        // Restarting on the same port must not trip over the previous run's TIME_WAIT sockets.
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _stopping = new CancellationTokenSource();
        _acceptLoop = AcceptLoopAsync(listener, _stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Stops listening and drops every client; <see cref="StartAsync"/> listens again on the same port.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }
        await _stopping!.CancelAsync();
        _listener.Stop();
        _listener = null;
        await _acceptLoop;
        await DropClientsAsync();
    }

    /// <summary>Closes every client connection, as when Asterisk restarts or the network fails.</summary>
    public async Task DropClientsAsync()
    {
        var clients = _clients.Keys.ToArray();
        foreach (var client in clients)
        {
            client.Close();
        }
        await Task.WhenAll(clients.Select(c => c.Completion));
    }

    public Task WaitForClientAsync(TimeSpan? timeout = null) =>
        TestAmiWait.UntilAsync(() => HasLoggedInClient, timeout, "a client logged in to the test AMI server");

    /// <summary>
    /// Sends the event stream of a captured scenario to every logged-in client, byte for byte,
    /// whole or cut at random points. Nothing else is written to a client meanwhile.
    /// </summary>
    public Task ReplayAsync(string version, string scenario, TestAmiChunking? chunking = null, CancellationToken cancellationToken = default) =>
        SendRawAsync(TestAmiCaptures.EventStream(version, scenario), chunking, cancellationToken);

    /// <summary>Sends bytes as they are (garbage included) to every logged-in client.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, TestAmiChunking? chunking = null, CancellationToken cancellationToken = default)
    {
        var clients = _clients.Keys.Where(c => c.Authenticated).ToArray();
        if (clients.Length == 0)
        {
            throw new InvalidOperationException("No client is logged in to the test AMI server.");
        }
        await Task.WhenAll(clients.Select(c => c.SendAsync(bytes, chunking, cancellationToken)));
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken stopping)
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stopping);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            socket.NoDelay = true;
            Interlocked.Increment(ref _connections);
            var client = new Client(this, socket);
            _clients[client] = 0;
            client.Completion = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Client client)
    {
        try
        {
            await client.RunAsync();
        }
        finally
        {
            _clients.TryRemove(client, out _);
        }
    }

    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Reply(AmiMessage action, string response, params (string Key, string Value)[] headers)
    {
        var text = new StringBuilder("Response: ").Append(response).Append("\r\n");
        if (action.ActionId is { } actionId)
        {
            text.Append("ActionID: ").Append(actionId).Append("\r\n");
        }
        foreach (var (key, value) in headers)
        {
            text.Append(key).Append(": ").Append(value).Append("\r\n");
        }
        return text.Append("\r\n").ToString();
    }

    /// <summary>One accepted connection: reads actions, answers them, takes replays.</summary>
    private sealed class Client(TestAmiServer server, Socket socket)
    {
        private readonly NetworkStream _stream = new(socket, ownsSocket: true);
        private readonly SemaphoreSlim _writeLock = new(1, 1);
        private string? _challenge;

        public volatile bool Authenticated;

        public string? User { get; private set; }

        public Task Completion { get; set; } = Task.CompletedTask;

        public async Task RunAsync()
        {
            try
            {
                await WriteAsync($"Asterisk Call Manager/{server.Version}\r\n");
                var reader = new AmiProtocolReader(PipeReader.Create(_stream));
                while (await reader.ReadMessageAsync() is { } action)
                {
                    server._actions.Enqueue(action);
                    if (Authenticated && User is not null)
                    {
                        server._actionsByUser.Enqueue((User, action));
                    }
                    if (!await AnswerAsync(action))
                    {
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
            {
                // The client went away, or the test dropped it.
            }
            finally
            {
                Close();
            }
        }

        public async Task SendAsync(ReadOnlyMemory<byte> bytes, TestAmiChunking? chunking, CancellationToken cancellationToken)
        {
            await _writeLock.WaitAsync(cancellationToken);
            try
            {
                if (chunking is null)
                {
                    await _stream.WriteAsync(bytes, cancellationToken);
                    return;
                }
                var random = new Random(chunking.Seed);
                for (var offset = 0; offset < bytes.Length;)
                {
                    var size = Math.Min(random.Next(1, chunking.MaxChunkBytes + 1), bytes.Length - offset);
                    await _stream.WriteAsync(bytes.Slice(offset, size), cancellationToken);
                    offset += size;
                    if (chunking.DelayBetweenChunks > TimeSpan.Zero)
                    {
                        await Task.Delay(chunking.DelayBetweenChunks, cancellationToken);
                    }
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }

        public void Close()
        {
            Authenticated = false;
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
            _stream.Dispose();
        }

        /// <summary>Answers one action; false when the connection should close afterwards.</summary>
        private async Task<bool> AnswerAsync(AmiMessage action)
        {
            var name = action["Action"] ?? "";
            if (!Authenticated && !name.Equals("Login", StringComparison.OrdinalIgnoreCase)
                && !name.Equals("Challenge", StringComparison.OrdinalIgnoreCase) && !name.Equals("Logoff", StringComparison.OrdinalIgnoreCase))
            {
                await WriteAsync(Reply(action, "Error", ("Message", "Permission denied")));
                return true;
            }

            if (Authenticated && server.DeniedActions.Contains(name))
            {
                await WriteAsync(Reply(action, "Error", ("Message", "Permission denied")));
                return true;
            }

            switch (name.ToLowerInvariant())
            {
                case "challenge":
                    if (!string.Equals(action["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
                    {
                        await WriteAsync(Reply(action, "Error", ("Message", "Must specify AuthType")));
                        return true;
                    }
                    _challenge = Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
                    await WriteAsync(Reply(action, "Success", ("Challenge", _challenge)));
                    return true;

                case "login":
                    Interlocked.Increment(ref server._loginAttempts);
                    if (server.RefuseAuth || !CredentialsMatch(action))
                    {
                        await WriteAsync(Reply(action, "Error", ("Message", "Authentication failed")));
                        return false;
                    }
                    Authenticated = true;
                    User = action["Username"];
                    Interlocked.Increment(ref server._logins);
                    await WriteAsync(Reply(action, "Success", ("Message", "Authentication accepted")));
                    return true;

                case "events":
                    var off = string.Equals(action["EventMask"], "off", StringComparison.OrdinalIgnoreCase);
                    await WriteAsync(Reply(action, "Success", ("Events", off ? "Off" : "On")));
                    return true;

                case "ping":
                    if (server.AnswerPings)
                    {
                        Interlocked.Increment(ref server._pingsAnswered);
                        var now = DateTimeOffset.UtcNow;
                        await WriteAsync(Reply(action, "Success", ("Ping", "Pong"),
                            ("Timestamp", $"{now.ToUnixTimeSeconds()}.{now.Millisecond * 1000 + now.Microsecond:000000}")));
                    }
                    return true;

                case "coreshowchannels":
                    if (server.CoreShowChannelsCapture is { } capture)
                    {
                        await WriteAsync(Encoding.UTF8.GetString(TestAmiCaptures.CoreShowChannels(capture, action.ActionId ?? "")));
                        return true;
                    }
                    await WriteAsync(
                        Reply(action, "Success", ("EventList", "start"), ("Message", "Channels will follow")) +
                        "Event: CoreShowChannelsComplete\r\n" + (action.ActionId is { } id ? $"ActionID: {id}\r\n" : "") +
                        "EventList: Complete\r\nListItems: 0\r\n\r\n");
                    return true;

                case "pjsipshowendpoints" when !server.ChanSip:
                    await WriteAsync(EndpointList(action, "A listing of Endpoints follows, presence and status will follow", "EndpointListComplete",
                        e => $"Event: EndpointList\r\n{Id(action)}ObjectType: endpoint\r\nObjectName: {e.Name}\r\nTransport: transport-udp\r\nAor: {e.Name}\r\n"
                            + $"Auths: {e.Name}\r\nOutboundAuths: \r\nContacts: {(e.Registered ? $"{e.Name}/sip:{e.Name}@192.0.2.10:5060," : "")}\r\n"
                            + $"DeviceState: {(e.Registered ? "Not in use" : "Unavailable")}\r\nActiveChannels: \r\n\r\n"));
                    return true;

                case "sippeers" when server.ChanSip:
                    await WriteAsync(EndpointList(action, "Peer status list will follow", "PeerlistComplete",
                        e => $"Event: PeerEntry\r\n{Id(action)}Channeltype: SIP\r\nObjectName: {e.Name}\r\nChanObjectType: peer\r\n"
                            + $"IPaddress: {(e.Registered ? "192.0.2.10" : "-none-")}\r\nIPport: {(e.Registered ? "5060" : "0")}\r\nDynamic: yes\r\n"
                            + $"AutoForcerport: no\r\nForcerport: yes\r\nAutoComedia: no\r\nComedia: yes\r\nVideoSupport: no\r\nTextSupport: no\r\nACL: no\r\n"
                            + $"Status: {(e.Registered ? "OK (5 ms)" : "UNKNOWN")}\r\nRealtimeDevice: no\r\nDescription: \r\nAccountcode: \r\n\r\n"));
                    return true;

                case "logoff":
                    await WriteAsync(Reply(action, "Goodbye", ("Message", "Thanks for all the fish.")));
                    return false;

                default:
                    if (server.Control is { } control && name.Equals(control.Name, StringComparison.OrdinalIgnoreCase))
                    {
                        await AnswerControlAsync(control, action);
                        return true;
                    }
                    await WriteAsync(Reply(action, "Error", ("Message", $"Invalid/unknown command: {name}. Use Action: ListCommands to show available commands.")));
                    return true;
            }
        }

        private async Task AnswerControlAsync(TestAmiControlCapture control, AmiMessage action)
        {
            var expected = string.Join(" | ", control.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var received = string.Join(" | ", TestAmiControlCapture.WithoutActionId(action).Select(h => $"{h.Key}: {h.Value}"));
            if (expected != received)
            {
                await WriteAsync(Reply(action, "Error", ("Message", $"Test server: expected {expected}; received {received}")));
                return;
            }
            var actionId = action.ActionId ?? "";
            await WriteAsync(control.Answer(0, actionId));
            // Asterisk sends the call's events (OriginateResponse too) to every session that reads "call".
            await server.SendRawAsync(control.AfterActionFor(actionId));
        }

        /// <summary>
        /// An endpoint list as Asterisk's manager documentation shows it (no capture has one): the response
        /// with <c>EventList: start</c>, one event per endpoint, and the closing event with <c>ListItems</c>.
        /// </summary>
        private string EndpointList(AmiMessage action, string message, string completeEvent, Func<TestPbxEndpoint, string> item) =>
            Reply(action, "Success", ("EventList", "start"), ("Message", message))
            + string.Concat(server.Endpoints.Select(item))
            + $"Event: {completeEvent}\r\n{Id(action)}EventList: Complete\r\nListItems: {server.Endpoints.Count}\r\n\r\n";

        private static string Id(AmiMessage action) => action.ActionId is { } id ? $"ActionID: {id}\r\n" : "";

        private bool CredentialsMatch(AmiMessage login)
        {
            var username = login["Username"] ?? "";
            string? secret = string.Equals(username, server.Username, StringComparison.OrdinalIgnoreCase) ? server.Secret
                : server._otherUsers.TryGetValue(username, out var other) ? other : null;
            if (secret is null)
            {
                return false;
            }
            if (string.Equals(login["AuthType"], "MD5", StringComparison.OrdinalIgnoreCase))
            {
                return _challenge is not null && string.Equals(login["Key"], Md5Hex(_challenge + secret), StringComparison.OrdinalIgnoreCase);
            }
            return login["Secret"] == secret;
        }

        private Task WriteAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), chunking: null, CancellationToken.None);
    }
}
