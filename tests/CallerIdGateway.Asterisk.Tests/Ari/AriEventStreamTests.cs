using System.Diagnostics;
using System.Text;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ari;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CallerIdGateway.Asterisk.Tests.Ari;

/// <summary>The events socket against a real (test) ARI server over real WebSockets.</summary>
public sealed class AriEventStreamTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly TestAriServer _server = new();
    private readonly RecordingLogger<AriEventStream> _logger = new(output);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];

    public Task InitializeAsync() => _server.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var run in _running)
        {
            await ((Task)run).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await _server.DisposeAsync();
        _stop.Dispose();
    }

    public static IEnumerable<object[]> AllCaptures() => AsteriskFixtures.All();

    [Theory]
    [MemberData(nameof(AllCaptures))]
    public async Task Delivers_every_wanted_frame_of_a_replayed_capture_as_typed_events_in_order(string version, string scenario)
    {
        var handler = new RecordingAriEventHandler();
        Start(handler);
        await _server.WaitForClientAsync();

        await _server.ReplayAsync(version, scenario);

        var frames = AsteriskFixtures.AriFrames(version, scenario);
        var expected = frames.Select(TypeOf).Where(AriEventParser.TypedEvents.Contains).ToList();
        Assert.True(expected.Count < frames.Length, "the capture has frames the stream should skip");
        await handler.WaitUntilAsync(h => h.Events.Count >= expected.Count);
        Assert.Equal([RecordingAriEventHandler.Connected, .. expected], handler.Timeline);
        Assert.DoesNotContain(handler.Events, e => e is AriUnknownEvent);
        Assert.Empty(_logger.At(LogLevel.Warning));
    }

    [Fact]
    public async Task Replays_a_capture_at_its_recorded_pace()
    {
        const double speedUp = 20;
        var handler = new RecordingAriEventHandler();
        Start(handler);
        await _server.WaitForClientAsync();

        await _server.ReplayAsync(AsteriskFixtures.Pjsip22, "answered", timed: true, speedUp);

        var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered");
        var sent = _server.SentTimestamps;
        Assert.Equal(frames.Length, sent.Count);
        var capturedSpan = TimeSpan.FromMilliseconds(5031); // first to last frame in ari-timed.jsonl
        Assert.True(Stopwatch.GetElapsedTime(sent[0], sent[^1]) >= capturedSpan / speedUp * 0.95);
        var expected = frames.Select(TypeOf).Count(AriEventParser.TypedEvents.Contains);
        await handler.WaitUntilAsync(h => h.Events.Count == expected);
    }

    [Fact]
    public async Task Connects_as_the_configured_application_with_subscribe_all()
    {
        var stream = Start(new RecordingAriEventHandler(), Options(o => o.Application = "gateway-2"));
        await _server.WaitForClientAsync();
        await Eventually.TrueAsync(() => stream.State == ConnectionState.Connected, "Connected");

        var upgrade = Assert.Single(_server.Upgrades);
        Assert.Equal("gateway-2", upgrade.Application);
        Assert.True(upgrade.SubscribeAll);
        Assert.True(upgrade.Authorized);
    }

    [Fact]
    public async Task Authenticates_with_the_api_key_query_when_asked()
    {
        var handler = new RecordingAriEventHandler();
        Start(handler, Options(o => o.UseApiKeyQuery = true));
        await _server.WaitForClientAsync();

        await _server.SendFrameAsync(Frame("answered", "ChannelCreated"));

        await handler.WaitUntilAsync(h => h.Events.Count == 1);
        Assert.True(Assert.Single(_server.Upgrades).Authorized);
        Assert.DoesNotContain(_logger.Entries, e => e.Message.Contains(_server.Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Resyncs_on_connect_before_any_event_of_that_connection_is_delivered()
    {
        _server.Channels = TestAriServer.ChannelsFromFixture(AsteriskFixtures.Pjsip22, "answered");
        var rest = new AriRestClient(new HttpClient(), Options());
        var resyncMayFinish = new TaskCompletionSource();
        IReadOnlyList<AriChannel>? snapshot = null;
        var handler = new RecordingAriEventHandler
        {
            OnConnected = async (_, ct) =>
            {
                snapshot = await rest.GetChannelsAsync(ct);
                await resyncMayFinish.Task.WaitAsync(ct);
            },
        };
        var stream = Start(handler);
        await _server.WaitForClientAsync();

        // Events arrive while the resync is still running: they must wait for it, not overtake it.
        await _server.SendFrameAsync(Frame("answered", "ChannelStateChange"));
        await _server.SendFrameAsync(Frame("answered", "Dial"));
        await Eventually.TrueAsync(() => stream.LastEventAt is not null, "the frames to be read");
        Assert.Empty(handler.Timeline);
        resyncMayFinish.SetResult();

        await handler.WaitUntilAsync(h => h.Events.Count == 2);
        Assert.Equal([RecordingAriEventHandler.Connected, "ChannelStateChange", "Dial"], handler.Timeline);
        Assert.Equal(2, snapshot!.Count);
    }

    [Fact]
    public async Task Reconnects_after_the_socket_is_dropped_and_resyncs_again()
    {
        var handler = new RecordingAriEventHandler();
        var stream = Start(handler);
        await _server.WaitForClientAsync();
        await handler.WaitUntilAsync(h => h.Connections == 1);

        await _server.DropClientsAsync();
        await _server.WaitForClientAsync();
        await handler.WaitUntilAsync(h => h.Connections == 2);
        await _server.SendFrameAsync(Frame("answered", "ChannelCreated"));

        await handler.WaitUntilAsync(h => h.Events.Count == 1);
        Assert.Equal([RecordingAriEventHandler.Connected, RecordingAriEventHandler.Connected, "ChannelCreated"], handler.Timeline);
        Assert.Equal(ConnectionState.Connected, stream.State);
        Assert.Single(_logger.At(LogLevel.Warning), w => w.Contains("connection lost", StringComparison.Ordinal) && w.Contains("Retrying in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reconnects_when_asterisk_comes_back_on_the_same_port()
    {
        var handler = new RecordingAriEventHandler();
        var stream = Start(handler);
        await _server.WaitForClientAsync();
        await handler.WaitUntilAsync(h => h.Connections == 1);
        var port = _server.Port;

        await _server.StopAsync();
        await Eventually.TrueAsync(() => _logger.At(LogLevel.Warning).Count >= 3, "a few refused reconnect attempts");
        Assert.NotEqual(ConnectionState.Connected, stream.State);
        Assert.Null(stream.ConnectedSince);
        await _server.StartAsync();

        Assert.Equal(port, _server.Port);
        await _server.WaitForClientAsync();
        await handler.WaitUntilAsync(h => h.Connections == 2);
        await _server.SendFrameAsync(Frame("answered", "ChannelDestroyed"));
        await handler.WaitUntilAsync(h => h.Events.Count == 1);
        Assert.Equal(ConnectionState.Connected, stream.State);
        Assert.Contains(_logger.At(LogLevel.Information), i => i.Contains("failed attempt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_credentials_fail_once_with_one_clear_error_and_no_reconnect_storm()
    {
        var authFailureDelay = TimeSpan.FromSeconds(1);
        var stream = Start(new RecordingAriEventHandler(), Options(o =>
        {
            o.Password = "wrong-password";
            o.Reconnect.AuthFailureDelay = authFailureDelay;
        }));

        await Eventually.TrueAsync(() => stream.State == ConnectionState.AuthenticationFailed, "AuthenticationFailed");
        var refused = Stopwatch.StartNew();
        // The second attempt is the signal: it comes only after the pause (a retry storm would bring it within the 20 ms backoff;
        // half the pause leaves room for how late the refusal was seen).
        await Eventually.TrueAsync(() => _server.Upgrades.Count >= 2, "the attempt after the pause");
        Assert.True(refused.Elapsed >= authFailureDelay / 2, $"second attempt {refused.Elapsed} after the refusal, before the {authFailureDelay} pause");
        Assert.All(_server.Upgrades, u => Assert.False(u.Authorized));
        var error = _logger.Entries.First(e => e.Level >= LogLevel.Warning).Message;
        Assert.Contains(_server.Username, error);
        Assert.Contains(_server.BaseUrl.Authority, error);
        Assert.DoesNotContain("wrong-password", error);
    }

    [Fact]
    public async Task Tries_again_only_after_the_auth_failure_delay_and_connects_once_the_credentials_work()
    {
        var authFailureDelay = TimeSpan.FromMilliseconds(400);
        _server.RefuseAuth = true;
        var stream = Start(new RecordingAriEventHandler(), Options(o => o.Reconnect.AuthFailureDelay = authFailureDelay));
        await Eventually.TrueAsync(() => stream.State == ConnectionState.AuthenticationFailed, "AuthenticationFailed");

        _server.RefuseAuth = false;
        await _server.WaitForClientAsync();
        await Eventually.TrueAsync(() => stream.State == ConnectionState.Connected, "Connected");

        // Refused attempts, then the one that works: how many were refused depends on how soon the test
        // saw the refusal (a loaded machine may see it after another pause), but every retry waited the pause.
        var upgrades = _server.Upgrades;
        Assert.Equal([.. Enumerable.Repeat(false, upgrades.Count - 1), true], upgrades.Select(u => u.Authorized));
        Assert.All(upgrades.Zip(upgrades.Skip(1)), pair =>
            Assert.True(Stopwatch.GetElapsedTime(pair.First.Timestamp, pair.Second.Timestamp) >= authFailureDelay * 0.9));
    }

    [Fact]
    public async Task Skips_frames_it_cannot_use_and_keeps_the_connection()
    {
        var handler = new RecordingAriEventHandler();
        Start(handler);
        await _server.WaitForClientAsync();

        await _server.SendFrameAsync("this is not json");
        await _server.SendFrameAsync("{}");
        await _server.SendFrameAsync("""{"type":"Dial"}""");
        await _server.SendFrameAsync("""{"type":"MadeUpEvent","application":"callerid-gateway"}""");
        await _server.SendFrameAsync($$"""{"type":"ChannelCreated","padding":"{{new string('x', 1_500_000)}}"}""");
        await _server.SendBinaryAsync([1, 2, 3, 4]);
        await _server.SendFrameAsync(Frame("answered", "ChannelCreated"));

        await handler.WaitUntilAsync(h => h.Events.Count == 1);
        Assert.IsType<AriChannelCreated>(handler.Events[0]);
        Assert.Equal(1, handler.Connections);
        Assert.Single(_server.Upgrades);
        var warnings = _logger.At(LogLevel.Warning);
        Assert.Equal(5, warnings.Count); // one each; the unknown type is skipped silently
        Assert.Contains(warnings, w => w.Contains("this is not json", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("no \"type\"", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("invalid Dial", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("over the limit", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("binary", StringComparison.Ordinal));
        Assert.All(warnings, w => Assert.True(w.Length < 1000, "a skipped frame is logged as a short preview"));
    }

    [Fact]
    public async Task A_handler_failure_costs_only_that_event()
    {
        var handler = new RecordingAriEventHandler
        {
            OnEvent = evt => evt is AriChannelCreated ? throw new InvalidOperationException("boom") : ValueTask.CompletedTask,
        };
        Start(handler);
        await _server.WaitForClientAsync();

        await _server.SendFrameAsync(Frame("answered", "ChannelCreated"));
        await _server.SendFrameAsync(Frame("answered", "ChannelDestroyed"));

        await handler.WaitUntilAsync(h => h.Events.Count == 1);
        Assert.IsType<AriChannelDestroyed>(handler.Events[0]);
        Assert.Contains(_logger.At(LogLevel.Error), e => e.Contains("ChannelCreated", StringComparison.Ordinal));
        Assert.Single(_server.Upgrades);
    }

    [Fact]
    public async Task A_failed_resync_drops_the_connection_and_retries()
    {
        var handler = new RecordingAriEventHandler
        {
            OnConnected = (connection, _) => connection == 1 ? throw new HttpRequestException("GET /channels failed") : ValueTask.CompletedTask,
        };
        var stream = Start(handler);

        await handler.WaitUntilAsync(h => h.Connections == 1);

        Assert.Equal(2, _server.Upgrades.Count);
        Assert.Contains(_logger.At(LogLevel.Warning), w => w.Contains("GET /channels failed", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => stream.State == ConnectionState.Connected, "Connected");
    }

    [Fact]
    public async Task Application_replaced_stops_the_stream_for_good()
    {
        var handler = new RecordingAriEventHandler();
        var stream = new AriEventStream(Options(), handler, _logger);
        var run = stream.RunAsync(_stop.Token);
        await _server.WaitForClientAsync();

        await _server.SendFrameAsync("""{"type":"ApplicationReplaced","application":"callerid-gateway"}""");

        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ConnectionState.Replaced, stream.State);
        Assert.IsType<AriApplicationReplaced>(Assert.Single(handler.Events));
        var error = Assert.Single(_logger.At(LogLevel.Error));
        Assert.Contains("callerid-gateway", error);
        Assert.Contains("Asterisk:Ari:Application", error);
        await Eventually.TrueAsync(() => _server.ConnectedClients == 0, "the socket closed");
        // RunAsync has returned: no loop is left to reconnect.
        Assert.Single(_server.Upgrades);
    }

    [Fact]
    public async Task Notices_a_peer_that_stopped_answering_pings_and_reconnects()
    {
        _server.IgnorePings = true;
        var handler = new RecordingAriEventHandler();
        Start(handler, Options(o =>
        {
            o.KeepAliveInterval = TimeSpan.FromMilliseconds(100);
            o.KeepAliveTimeout = TimeSpan.FromMilliseconds(200);
        }));

        await Eventually.TrueAsync(() => _server.Upgrades.Count >= 2, "a reconnect after the keep-alive timeout");

        Assert.Contains(_logger.At(LogLevel.Warning), w => w.Contains("connection lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reports_health_and_closes_politely_when_stopped()
    {
        var before = DateTimeOffset.UtcNow;
        var handler = new RecordingAriEventHandler();
        var stream = new AriEventStream(Options(), handler, _logger);
        using var stop = new CancellationTokenSource();
        var run = stream.RunAsync(stop.Token);
        await _server.WaitForClientAsync();
        await Eventually.TrueAsync(() => stream.State == ConnectionState.Connected, "Connected");
        Assert.InRange(stream.ConnectedSince!.Value, before, DateTimeOffset.UtcNow);
        Assert.Null(stream.LastEventAt);

        await _server.SendFrameAsync(Frame("answered", "ChannelVarset"));
        await Eventually.TrueAsync(() => stream.LastEventAt is not null, "LastEventAt");
        Assert.Empty(handler.Events); // a skipped frame is still a sign of life

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(ConnectionState.Disconnected, stream.State);
        Assert.Null(stream.ConnectedSince);
        await Eventually.TrueAsync(() => _server.ConnectedClients == 0, "the server to see the close");
        Assert.Empty(_logger.At(LogLevel.Warning));
    }

    private AriClientOptions Options(Action<AriClientOptions>? configure = null)
    {
        var options = new AriClientOptions
        {
            BaseUrl = _server.BaseUrl,
            Username = _server.Username,
            Password = _server.Password,
            Reconnect = new ReconnectOptions
            {
                InitialDelay = TimeSpan.FromMilliseconds(20),
                MaxDelay = TimeSpan.FromMilliseconds(100),
                AuthFailureDelay = TimeSpan.FromMinutes(10),
            },
        };
        configure?.Invoke(options);
        return options;
    }

    private AriEventStream Start(RecordingAriEventHandler handler, AriClientOptions? options = null)
    {
        var stream = new AriEventStream(options ?? Options(), handler, _logger);
        _running.Add(stream.RunAsync(_stop.Token));
        return stream;
    }

    /// <summary>The first frame of that type in the PJSIP capture of <paramref name="scenario"/>.</summary>
    private static string Frame(string scenario, string type) =>
        AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, scenario).First(f => TypeOf(f) == type);

    private static string TypeOf(string frame)
    {
        using var document = System.Text.Json.JsonDocument.Parse(Encoding.UTF8.GetBytes(frame));
        return document.RootElement.GetProperty("type").GetString()!;
    }
}
