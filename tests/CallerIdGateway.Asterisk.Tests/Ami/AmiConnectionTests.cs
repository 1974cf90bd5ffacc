using System.Text;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiConnectionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Md5_login_connects_reports_the_banner_version_and_keeps_the_secret_off_the_wire()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);
        await run.Server.WaitForClientAsync();

        Assert.Equal(ConnectionState.Connected, run.Connection.State);
        Assert.Equal("11.0.0", run.Connection.AmiVersion);
        Assert.NotNull(run.Connection.ConnectedSince);
        var actions = run.Server.ReceivedActions;
        Assert.Equal(["Challenge", "Login"], actions.Take(2).Select(a => a["Action"]));
        var login = actions[1];
        Assert.Equal("MD5", login["AuthType"]);
        Assert.Equal("call,agent", login["Events"]);
        Assert.Null(login["Secret"]);
        Assert.Equal(32, login["Key"]?.Length);
    }

    [Fact]
    public async Task Plain_login_sends_the_secret_when_md5_is_off()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output,
            configure: o => o.UseMd5Challenge = false,
            configureServer: s => s.Version = TestAmiCaptures.BannerVersion(AsteriskFixtures.ChanSip16));

        Assert.Equal("5.0.5", run.Connection.AmiVersion);
        var login = Assert.Single(run.Server.ReceivedActions);
        Assert.Equal(run.Server.Secret, login["Secret"]);
        Assert.Equal(1, run.Server.Logins);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, false)]
    [InlineData(false, true)]
    public async Task A_refused_login_fails_once_then_waits_and_the_secret_appears_in_no_log_line(bool md5, bool serverRefusesAll)
    {
        const string wrongSecret = "wrong-secret-Xq7#9";
        var authFailureDelay = TimeSpan.FromSeconds(1);
        await using var run = await AmiConnectionHarness.StartAsync(output,
            configure: o =>
            {
                o.UseMd5Challenge = md5;
                o.Secret = serverRefusesAll ? TestAmiServer.DefaultSecret : wrongSecret;
                o.Reconnect.AuthFailureDelay = authFailureDelay;
            },
            configureServer: s => s.RefuseAuth = serverRefusesAll,
            waitUntilConnected: false);

        await TestAmiWait.UntilAsync(() => run.Connection.State == ConnectionState.AuthenticationFailed, what: "AuthenticationFailed");
        var refused = System.Diagnostics.Stopwatch.StartNew();
        // The second attempt is the signal: it comes only after the pause (a retry storm would bring it within the 20 ms backoff;
        // half the pause leaves room for how late the refusal was seen).
        await TestAmiWait.UntilAsync(() => run.Server.LoginAttempts >= 2, what: "the attempt after the pause");
        Assert.True(refused.Elapsed >= authFailureDelay / 2, $"second login {refused.Elapsed} after the refusal, before the {authFailureDelay} pause");
        Assert.Equal(2, run.Server.LoginAttempts);
        var error = run.Logger.Entries.First(e => e.Level >= LogLevel.Error);
        Assert.Contains($"'{TestAmiServer.DefaultUsername}'", error.Message);
        Assert.Contains($"127.0.0.1:{run.Server.Port}", error.Message);
        Assert.Contains("Authentication failed", error.Message);
        foreach (var secret in new[] { wrongSecret, TestAmiServer.DefaultSecret })
        {
            Assert.DoesNotContain(run.Logger.Entries, e => e.FullText.Contains(secret));
            Assert.DoesNotContain(secret, run.Options.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(AsteriskFixtures.All), MemberType = typeof(AsteriskFixtures))]
    public async Task A_replayed_scenario_delivers_exactly_the_wanted_events_in_order(string version, string scenario)
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);
        var expected = await run.ExpectedEventsAsync(TestAmiCaptures.EventStream(version, scenario));

        await run.Server.ReplayAsync(version, scenario);

        Assert.Equal(expected, await run.ReceiveEventsAsync(expected.Count));
        Assert.All(run.Handler.Events, e => Assert.Contains(e.EventName, AmiConnectionHarness.GatewayEvents));
        Assert.NotNull(run.Connection.LastEventAt);
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(2, 64)]
    [InlineData(3, 1500)]
    public async Task A_replay_cut_at_random_points_delivers_the_same_events(int seed, int maxChunkBytes)
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);
        var expected = await run.ExpectedEventsAsync(TestAmiCaptures.EventStream(AsteriskFixtures.ChanSip16, "ring-group"));

        await run.Server.ReplayAsync(AsteriskFixtures.ChanSip16, "ring-group", new TestAmiChunking(seed, maxChunkBytes));

        Assert.Equal(expected, await run.ReceiveEventsAsync(expected.Count));
    }

    [Theory]
    [InlineData(AsteriskFixtures.Pjsip22, "PJSIP")]
    [InlineData(AsteriskFixtures.ChanSip16, "SIP")]
    public async Task CoreShowChannels_in_OnConnected_returns_the_captured_channels(string version, string technology)
    {
        IReadOnlyList<AmiMessage>? channels = null;
        await using var run = await AmiConnectionHarness.StartAsync(output,
            configureServer: s => s.CoreShowChannelsCapture = version,
            onConnected: async (run, ct) => channels = await run.Connection.SendEventListActionAsync(new AmiAction("CoreShowChannels"), ct));

        Assert.NotNull(channels);
        Assert.Equal([$"{technology}/provider-00000000", $"{technology}/1008-00000001"], channels.Select(c => c["Channel"]));
        Assert.Equal(["4", "5"], channels.Select(c => c["ChannelState"]));
        Assert.Empty(run.Handler.Events); // list items go to the request, not to OnEventAsync
    }

    [Fact]
    public async Task CoreShowChannels_without_channels_returns_an_empty_list()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);

        Assert.Empty(await run.Connection.SendEventListActionAsync(new AmiAction("CoreShowChannels")));
    }

    [Fact]
    public async Task Events_that_arrive_during_OnConnected_are_delivered_after_it_returns_in_order()
    {
        var eventsSeenDuringResync = -1;
        await using var run = await AmiConnectionHarness.StartAsync(output,
            onConnected: async (run, ct) =>
            {
                await run.Server.ReplayAsync(AsteriskFixtures.Pjsip22, "missed", cancellationToken: ct);
                // The Pong comes after the replayed events on the same socket: once it is here, they are too.
                await run.Connection.SendActionAsync(new AmiAction("Ping"), ct);
                eventsSeenDuringResync = run.Handler.Events.Count;
            });
        var expected = await run.ExpectedEventsAsync(TestAmiCaptures.EventStream(AsteriskFixtures.Pjsip22, "missed"));

        Assert.Equal(expected, await run.ReceiveEventsAsync(expected.Count));
        Assert.Equal(0, eventsSeenDuringResync);
        Assert.Equal(["connected", "resynced"], run.Handler.Timeline.Take(2));
    }

    [Fact]
    public async Task A_dropped_connection_reconnects_logs_in_again_and_calls_OnConnected_again()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);

        await run.Server.DropClientsAsync();
        await run.WaitForSessionAsync(2);

        Assert.Equal(2, run.Server.Logins);
        Assert.Equal(2, run.Handler.ConnectedCount);
        Assert.Contains(run.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Lost the AMI session"));
        await run.Server.ReplayAsync(AsteriskFixtures.Pjsip22, "busy");
        var expected = await run.ExpectedEventsAsync(TestAmiCaptures.EventStream(AsteriskFixtures.Pjsip22, "busy"));
        Assert.Equal(expected, await run.ReceiveEventsAsync(expected.Count));
    }

    [Fact]
    public async Task A_failing_OnConnected_drops_the_session_and_the_next_one_resyncs_again()
    {
        var attempts = 0;
        await using var run = await AmiConnectionHarness.StartAsync(output,
            onConnected: (_, _) => Interlocked.Increment(ref attempts) == 1
                ? throw new InvalidOperationException("database down during resync")
                : Task.CompletedTask);

        Assert.Equal(2, attempts);
        Assert.Equal(2, run.Server.Logins);
        Assert.Contains(run.Logger.Entries, e => e.Level == LogLevel.Error && e.Exception?.Message == "database down during resync");
    }

    [Fact]
    public async Task A_server_restarted_on_the_same_port_is_reconnected_to()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);
        var port = run.Server.Port;

        await run.Server.StopAsync();
        await TestAmiWait.UntilAsync(() => run.Logger.Entries.Count(e => e.Message.Contains("Reconnecting to AMI")) >= 2, what: "failed reconnect attempts");
        Assert.NotEqual(ConnectionState.Connected, run.Connection.State);
        await run.Server.StartAsync();
        await run.WaitForSessionAsync(2);

        Assert.Equal(port, run.Server.Port);
        Assert.Equal(2, run.Server.Logins);
    }

    [Fact]
    public async Task Garbage_and_an_overlong_line_mid_stream_are_skipped_and_later_events_still_arrive()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output, configure: o => o.MaxLineBytes = 4096);
        var garbage = Encoding.UTF8.GetBytes(
            "this is not AMI at all\r\n\r\n" +
            "Event: Newchannel\r\nChannel: PJSIP/1008-00000099\r\nAppData: " + new string('x', 100_000) + "\r\n\r\n");

        await run.Server.SendRawAsync(garbage, new TestAmiChunking(Seed: 5, MaxChunkBytes: 3000));
        await run.Server.ReplayAsync(AsteriskFixtures.Pjsip22, "answered");

        var expected = await run.ExpectedEventsAsync(TestAmiCaptures.EventStream(AsteriskFixtures.Pjsip22, "answered"));
        Assert.Equal(expected, await run.ReceiveEventsAsync(expected.Count));
        Assert.Single(run.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("longer than 4096 bytes"));
        Assert.Equal(1, run.Server.Logins);
    }

    [Fact]
    public async Task Ping_keepalive_is_answered_and_the_session_stays_up()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output, configure: o => o.PingInterval = TimeSpan.FromMilliseconds(50));

        await TestAmiWait.UntilAsync(() => run.Server.PingsAnswered >= 3, what: "three pings");

        Assert.Equal(ConnectionState.Connected, run.Connection.State);
        Assert.Equal(1, run.Server.Logins);
    }

    [Fact]
    public async Task A_missing_pong_drops_the_session_and_reconnects()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output,
            configure: o =>
            {
                o.PingInterval = TimeSpan.FromMilliseconds(100);
                o.ActionTimeout = TimeSpan.FromMilliseconds(300);
            },
            configureServer: s => s.AnswerPings = false);

        await run.WaitForSessionAsync(2);

        Assert.Contains(run.Logger.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("No Pong"));
    }

    [Fact]
    public async Task An_error_response_raises_AmiActionException_with_its_message()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);

        var error = await Assert.ThrowsAsync<AmiActionException>(() => run.Connection.SendActionAsync(new AmiAction("NoSuchThing")));

        Assert.Contains("Invalid/unknown command: NoSuchThing", error.Message);
        Assert.Equal("Error", error.Response.Response);
    }

    [Fact]
    public async Task An_unanswered_action_times_out_without_dropping_the_session()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output,
            configure: o => o.ActionTimeout = TimeSpan.FromMilliseconds(200),
            configureServer: s => s.AnswerPings = false);

        await Assert.ThrowsAsync<TimeoutException>(() => run.Connection.SendActionAsync(new AmiAction("Ping")));

        Assert.Equal(ConnectionState.Connected, run.Connection.State);
        Assert.Empty(await run.Connection.SendEventListActionAsync(new AmiAction("CoreShowChannels")));
    }

    [Fact]
    public async Task A_Shutdown_event_is_delivered_and_the_drop_that_follows_is_reconnected()
    {
        await using var run = await AmiConnectionHarness.StartAsync(output);

        await run.Server.SendRawAsync(Encoding.UTF8.GetBytes("Event: Shutdown\r\nPrivilege: system,all\r\nShutdown: Cleanly\r\nRestart: True\r\n\r\n"));
        await TestAmiWait.UntilAsync(() => run.Handler.Events.Any(e => e.EventName == "Shutdown"), what: "the Shutdown event");
        await run.Server.DropClientsAsync();
        await run.WaitForSessionAsync(2);

        Assert.Contains(run.Logger.Entries, e => e.Message.Contains("announced a shutdown"));
    }

    [Fact]
    public async Task Stopping_logs_off()
    {
        var run = await AmiConnectionHarness.StartAsync(output);
        var server = run.Server;

        await run.DisposeAsync();

        Assert.Equal("Logoff", server.ReceivedActions[^1]["Action"]);
        Assert.Equal(ConnectionState.Disconnected, run.Connection.State);
        await Assert.ThrowsAsync<AmiConnectionException>(() => run.Connection.SendActionAsync(new AmiAction("Ping")));
    }
}
