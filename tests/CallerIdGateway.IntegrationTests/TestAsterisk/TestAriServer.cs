using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CallerIdGateway.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>
/// Asterisk's ARI as far as the gateway uses it, on a real Kestrel bound to 127.0.0.1: the events
/// WebSocket (<c>GET /ari/events</c>, basic auth or <c>api_key</c>, 401 otherwise) and
/// <c>GET/DELETE /ari/channels[/{id}]</c>, <c>GET /ari/channels/{id}/variable</c> (linkedid),
/// <c>POST /ari/channels</c>, <c>GET /ari/asterisk/info</c>, <c>GET /ari/endpoints</c>.
/// Tests drive it: replay the real captures verbatim, send any frame, drop the clients, refuse
/// credentials, or stop and start again on the same port like a restarting PBX.
/// </summary>
public sealed class TestAriServer : IAsyncDisposable
{
    private const string AsteriskInfoJson = """
        {"build":{"os":"Linux","kernel":"6.1.0","machine":"x86_64","options":"BUILD_NATIVE, OPTIONAL_API","date":"2026-11-20 10:00:00 UTC","user":"root"},"system":{"version":"22.10.1","entity_id":"02:fc:00:00:00:01"},"config":{"name":"","default_language":"en","setid":{"user":"","group":""}},"status":{"startup_time":"2026-11-24T00:50:00.000+0000","last_reload_time":"2026-11-24T00:50:00.000+0000"}}
        """;

    private readonly Lock _lock = new();
    private readonly List<Client> _clients = [];
    private readonly List<TestAriUpgrade> _upgrades = [];
    private readonly List<TestAriHangup> _hangups = [];
    private readonly List<TestAriOrigination> _originations = [];
    private readonly List<long> _sentTimestamps = [];
    private readonly Dictionary<string, string> _otherUsers = [];
    private readonly List<TestAriControlRequest> _controlRequests = [];
    private TaskCompletionSource _clientConnected = NewSignal();
    private IReadOnlyList<JsonElement> _channels = [];
    private IReadOnlyDictionary<string, string> _linkedIds = new Dictionary<string, string>();
    private IReadOnlyList<TestPbxEndpoint> _endpoints = TestPbxEndpoint.CaptureDefaults;
    private WebApplication? _app;

    public TestAriServer(string username = "gateway", string password = "test-secret")
    {
        Username = username;
        Password = password;
    }

    public string Username { get; }

    public string Password { get; }

    /// <summary>The port, chosen on the first start and kept across <see cref="StopAsync"/> / <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>What a client puts in <c>Asterisk:Ari:BaseUrl</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/ari");

    /// <summary>Answer 401 to everything, whatever the credentials (a password changed on the PBX).</summary>
    public bool RefuseAuth { get; set; }

    /// <summary>
    /// Accept new events sockets but never read them, so their keep-alive pings go unanswered:
    /// a peer that is gone without closing (a dead host, a cut cable).
    /// </summary>
    public bool IgnorePings { get; set; }

    /// <summary>What <c>GET /ari/channels</c> returns, as ARI channel JSON objects; empty by default.</summary>
    public IReadOnlyList<JsonElement> Channels
    {
        get { lock (_lock) { return _channels; } }
        set { lock (_lock) { _channels = [.. value.Select(c => c.Clone())]; } }
    }

    /// <summary>
    /// The linkedid of the <see cref="Channels"/> by id, for <c>GET /ari/channels/{id}/variable?variable=CHANNEL(linkedid)</c>;
    /// a channel missing here answers its own id, as the first channel of a call does.
    /// </summary>
    public IReadOnlyDictionary<string, string> LinkedIds
    {
        get { lock (_lock) { return _linkedIds; } }
        set { lock (_lock) { _linkedIds = new Dictionary<string, string>(value); } }
    }

    /// <summary>
    /// What <c>GET /ari/endpoints</c> lists, as PJSIP endpoints; by default those of the captures'
    /// pjsip.conf (1008, 1009, provider), all with a phone registered. No capture has this answer:
    /// its shape is ARI's documented Endpoint model (<c>technology</c>, <c>resource</c>, <c>state</c>, <c>channel_ids</c>).
    /// </summary>
    public IReadOnlyList<TestPbxEndpoint> Endpoints
    {
        get { lock (_lock) { return _endpoints; } }
        set { lock (_lock) { _endpoints = [.. value]; } }
    }

    /// <summary>Every <c>GET /ari/events</c> so far, refused ones included.</summary>
    public IReadOnlyList<TestAriUpgrade> Upgrades { get { lock (_lock) { return [.. _upgrades]; } } }

    public IReadOnlyList<TestAriHangup> Hangups { get { lock (_lock) { return [.. _hangups]; } } }

    public IReadOnlyList<TestAriOrigination> Originations { get { lock (_lock) { return [.. _originations]; } } }

    /// <summary>
    /// <see cref="Stopwatch.GetTimestamp"/> taken just before each frame (text or binary) was
    /// written, in send order: the start of an end-to-end latency measurement.
    /// </summary>
    public IReadOnlyList<long> SentTimestamps { get { lock (_lock) { return [.. _sentTimestamps]; } } }

    public int ConnectedClients { get { lock (_lock) { return _clients.Count; } } }

    /// <summary>
    /// Answers the control request of a capture (<c>POST /ari/channels</c>, <c>DELETE /ari/channels/{id}</c>)
    /// as Asterisk did when it matches the recorded one (method, path and query, byte for byte), then
    /// sends the frames it caused; a request that differs gets a 400 naming the difference.
    /// </summary>
    public TestAriControlCapture? Control { get; set; }

    /// <summary>Every POST and DELETE, with the user that sent it, in order.</summary>
    public IReadOnlyList<TestAriControlRequest> ControlRequests { get { lock (_lock) { return [.. _controlRequests]; } } }

    /// <summary>Accepts a second ari.conf user besides <see cref="Username"/> (a call-control user).</summary>
    public void AddUser(string username, string password)
    {
        lock (_lock)
        {
            _otherUsers[username] = password;
        }
    }

    /// <summary>The channels of a capture's <c>ari-channels.json</c> (the <c>GET /ari/channels</c> snapshot).</summary>
    public static IReadOnlyList<JsonElement> ChannelsFromFixture(string version, string scenario)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(AsteriskFixtures.PathOf(version, scenario, "ari-channels.json")));
        return [.. document.RootElement.EnumerateArray().Select(c => c.Clone())];
    }

    /// <summary>Starts listening: on a free port the first time, on the same port after a <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        if (_app is not null)
        {
            throw new InvalidOperationException("Already started.");
        }
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        var app = builder.Build();
        app.UseWebSockets();
        app.Use(AuthenticateAsync);
        var ari = app.MapGroup("/ari");
        ari.MapGet("/events", AcceptEventsAsync);
        ari.MapGet("/channels", ListChannelsAsync);
        ari.MapGet("/channels/{id}", GetChannelAsync);
        ari.MapGet("/channels/{id}/variable", GetChannelVariableAsync);
        ari.MapDelete("/channels/{id}", HangupAsync);
        ari.MapPost("/channels", OriginateAsync);
        ari.MapGet("/asterisk/info", context => WriteJsonAsync(context, StatusCodes.Status200OK, AsteriskInfoJson));
        ari.MapGet("/endpoints", context => WriteJsonAsync(context, StatusCodes.Status200OK, JsonSerializer.Serialize(Endpoints.Select(e => new Dictionary<string, object>
        {
            ["technology"] = "PJSIP",
            ["resource"] = e.Name,
            ["state"] = e.Registered ? "online" : "offline",
            ["channel_ids"] = Array.Empty<string>(),
        }))));
        await app.StartAsync();
        _app = app;
        if (Port == 0)
        {
            Port = new Uri(app.Urls.Single()).Port;
        }
    }

    /// <summary>Like a PBX going down: every socket dies and new connections are refused until <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_app is not { } app)
        {
            return;
        }
        _app = null;
        await DropClientsAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>Completes once at least one events client is connected.</summary>
    public Task WaitForClientAsync(TimeSpan? timeout = null)
    {
        lock (_lock)
        {
            return _clientConnected.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Sends one text frame, verbatim, to every connected events client.</summary>
    public Task SendFrameAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public Task SendBinaryAsync(byte[] data) => SendAsync(data, WebSocketMessageType.Binary);

    /// <summary>
    /// Sends a capture's frames verbatim and in order. <paramref name="timed"/> keeps the captured
    /// gaps (from <c>ari-timed.jsonl</c>), divided by <paramref name="speedUp"/>.
    /// </summary>
    public async Task ReplayAsync(string version, string scenario, bool timed = false, double speedUp = 1, CancellationToken cancellationToken = default)
    {
        if (!timed)
        {
            foreach (var frame in AsteriskFixtures.AriFrames(version, scenario))
            {
                await SendFrameAsync(frame);
            }
            return;
        }
        // Each frame is due at its captured offset from the first one, so delays do not add up into drift.
        var started = Stopwatch.GetTimestamp();
        long? first = null;
        foreach (var line in File.ReadLines(AsteriskFixtures.PathOf(version, scenario, "ari-timed.jsonl")).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var receivedAt = document.RootElement.GetProperty("t").GetInt64();
            first ??= receivedAt;
            var due = TimeSpan.FromMilliseconds((receivedAt - first.Value) / speedUp) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }
            await SendFrameAsync(document.RootElement.GetProperty("frame").GetRawText());
        }
    }

    /// <summary>Kills every events socket without a close handshake (a network cut, a crash).</summary>
    public Task DropClientsAsync()
    {
        Client[] dropped;
        lock (_lock)
        {
            dropped = [.. _clients];
            _clients.Clear();
            _clientConnected = NewSignal();
        }
        foreach (var client in dropped)
        {
            try
            {
                client.Context.Abort();
            }
            catch (Exception e) when (e is ObjectDisposedException or NullReferenceException)
            {
                // Its request ended a moment ago (the gateway hung up first): already gone. Kestrel may have recycled
                // the context by then, and Abort on a recycled context throws NullReferenceException from its features.
            }
        }
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task SendAsync(byte[] payload, WebSocketMessageType type)
    {
        Client[] clients;
        lock (_lock)
        {
            clients = [.. _clients];
            if (clients.Length == 0)
            {
                throw new InvalidOperationException("No ARI events client is connected.");
            }
            _sentTimestamps.Add(Stopwatch.GetTimestamp());
        }
        foreach (var client in clients)
        {
            await client.SendAsync(payload, type);
        }
    }

    private async Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        var authorized = !RefuseAuth && HasValidCredentials(context.Request);
        if (authorized && context.Request.Method is "POST" or "DELETE")
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            lock (_lock)
            {
                _controlRequests.Add(new TestAriControlRequest(
                    UserOf(context.Request), context.Request.Method, context.Request.Path + context.Request.QueryString, body));
            }
            if (Control is { } control && await AnswerControlAsync(context, control))
            {
                return;
            }
        }
        if (context.Request.Path.StartsWithSegments("/ari/events"))
        {
            var upgrade = new TestAriUpgrade(
                context.Request.Query["app"].FirstOrDefault(),
                context.Request.Query["subscribeAll"] == "true",
                authorized,
                Stopwatch.GetTimestamp());
            lock (_lock)
            {
                _upgrades.Add(upgrade);
            }
        }
        if (!authorized)
        {
            // What Asterisk answers: a 401 with a basic challenge, before any upgrade.
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"Asterisk REST Interface\"";
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, """{"error":"Authentication required"}""");
            return;
        }
        await next(context);
    }

    private async Task<bool> AnswerControlAsync(HttpContext context, TestAriControlCapture control)
    {
        if (context.Request.Method != control.Method)
        {
            return false;
        }
        var received = context.Request.Path + context.Request.QueryString;
        if (received != control.PathAndQuery)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest,
                JsonSerializer.Serialize(new { message = $"Test server: expected {control.PathAndQuery}; received {received}" }));
            return true;
        }
        if (control.Body.Length > 0)
        {
            await WriteJsonAsync(context, control.Status, control.Body);
        }
        else
        {
            context.Response.StatusCode = control.Status;
        }
        await context.Response.CompleteAsync();
        foreach (var frame in control.AfterRequest)
        {
            await SendFrameAsync(frame);
        }
        return true;
    }

    private string? UserOf(HttpRequest request)
    {
        var header = request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return null;
        }
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
        return credentials[..Math.Max(0, credentials.IndexOf(':'))];
    }

    private bool HasValidCredentials(HttpRequest request)
    {
        Dictionary<string, string> others;
        lock (_lock)
        {
            others = new Dictionary<string, string>(_otherUsers);
        }
        if (HasValidCredentials(request, $"{Username}:{Password}"))
        {
            return true;
        }
        return others.Any(u => HasValidCredentials(request, $"{u.Key}:{u.Value}"));
    }

    private static bool HasValidCredentials(HttpRequest request, string expected)
    {
        if (request.Query["api_key"].FirstOrDefault() is { } apiKey)
        {
            return apiKey == expected;
        }
        var header = request.Headers.Authorization.FirstOrDefault();
        if (header is null || !header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..])) == expected;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task AcceptEventsAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await WriteJsonAsync(context, StatusCodes.Status426UpgradeRequired, """{"error":"Upgrade Required"}""");
            return;
        }
        // Asterisk's ARI socket speaks the "ari" subprotocol and accepts clients that name none.
        var subProtocol = context.WebSockets.WebSocketRequestedProtocols.Contains("ari") ? "ari" : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync(subProtocol);
        var client = new Client(socket, context);
        lock (_lock)
        {
            _clients.Add(client);
            _clientConnected.TrySetResult();
        }
        try
        {
            if (IgnorePings)
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            // Keep reading: that is what answers the client's keep-alive pings and sees its close.
            var buffer = new byte[4096];
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ConnectionAbortedException)
        {
            // Dropped by a test or by the client: either way this client is gone.
        }
        finally
        {
            lock (_lock)
            {
                _clients.Remove(client);
                if (_clients.Count == 0 && _clientConnected.Task.IsCompleted)
                {
                    _clientConnected = NewSignal();
                }
            }
        }
    }

    private Task ListChannelsAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, "[" + string.Join(",", Channels.Select(c => c.GetRawText())) + "]");

    private Task GetChannelAsync(HttpContext context)
    {
        var channel = FindChannel((string)context.Request.RouteValues["id"]!);
        return channel is { } c
            ? WriteJsonAsync(context, StatusCodes.Status200OK, c.GetRawText())
            : WriteJsonAsync(context, StatusCodes.Status404NotFound, """{"message":"Channel not found"}""");
    }

    private Task HangupAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        lock (_lock)
        {
            var remaining = _channels.Where(c => c.GetProperty("id").GetString() != id).ToList();
            if (remaining.Count == _channels.Count)
            {
                return WriteJsonAsync(context, StatusCodes.Status404NotFound, """{"message":"Channel not found"}""");
            }
            _channels = remaining;
            _hangups.Add(new TestAriHangup(id, context.Request.Query["reason"].FirstOrDefault()));
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private async Task OriginateAsync(HttpContext context)
    {
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        if (!query.TryGetValue("endpoint", out var endpoint) || string.IsNullOrWhiteSpace(endpoint))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, """{"message":"Endpoint must be specified"}""");
            return;
        }
        int sequence;
        lock (_lock)
        {
            _originations.Add(new TestAriOrigination(query, body));
            sequence = _originations.Count;
        }
        var id = $"1795490000.{sequence}";
        var channel = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = id,
            ["name"] = $"{endpoint}-0000{sequence:x4}",
            ["state"] = "Down",
            ["caller"] = new Dictionary<string, string> { ["name"] = "", ["number"] = "" },
            ["connected"] = new Dictionary<string, string> { ["name"] = "", ["number"] = "" },
            ["accountcode"] = "",
            ["dialplan"] = new Dictionary<string, object>
            {
                ["context"] = query.GetValueOrDefault("context", ""),
                ["exten"] = query.GetValueOrDefault("extension", ""),
                ["priority"] = long.Parse(query.GetValueOrDefault("priority", "1")),
                ["app_name"] = "",
                ["app_data"] = "",
            },
            ["creationtime"] = "2026-11-24T01:00:00.000+0000",
            ["language"] = "en",
        });
        await WriteJsonAsync(context, StatusCodes.Status200OK, channel);
    }

    private Task GetChannelVariableAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (FindChannel(id) is null)
        {
            return WriteJsonAsync(context, StatusCodes.Status404NotFound, """{"message":"Channel not found"}""");
        }
        if (context.Request.Query["variable"] != "CHANNEL(linkedid)")
        {
            return WriteJsonAsync(context, StatusCodes.Status404NotFound, """{"message":"Provided variable was not found"}""");
        }
        return WriteJsonAsync(context, StatusCodes.Status200OK, JsonSerializer.Serialize(new { value = LinkedIds.GetValueOrDefault(id, id) }));
    }

    private JsonElement? FindChannel(string id) =>
        Channels.Where(c => c.GetProperty("id").GetString() == id).Select(c => (JsonElement?)c).FirstOrDefault();

    private static async Task WriteJsonAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }

    /// <summary>One connected events socket; sends are serialized because a WebSocket allows one at a time.</summary>
    private sealed class Client(WebSocket socket, HttpContext context)
    {
        private readonly SemaphoreSlim _sendLock = new(1, 1);

        public HttpContext Context { get; } = context;

        public async Task SendAsync(byte[] payload, WebSocketMessageType type)
        {
            await _sendLock.WaitAsync();
            try
            {
                await socket.SendAsync(payload, type, endOfMessage: true, CancellationToken.None);
            }
            finally
            {
                _sendLock.Release();
            }
        }
    }
}
