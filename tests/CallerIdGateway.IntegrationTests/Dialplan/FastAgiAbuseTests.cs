using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CallerIdGateway.Dialplan.FastAgi;
using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// Idle and refused connections cannot keep Asterisk's lookups waiting. The attacker connects from
/// 127.0.0.1 and Asterisk from 127.0.0.2 (all of 127.0.0.0/8 is this machine).
/// </summary>
public class FastAgiAbuseTests
{
    private static readonly IPAddress Attacker = IPAddress.Loopback;
    private static readonly IPAddress Asterisk = IPAddress.Parse("127.0.0.2");

    private static async Task<GatewayApp> StartAsync(IDictionary<string, string?> settings)
    {
        var app = GatewayApp.OnSqlite(new Dictionary<string, string?>(settings)
        {
            ["Dialplan:FastAgi:Enabled"] = "true",
            ["Dialplan:FastAgi:Port"] = "0",
            // A cold first query on a shared 2-core runner must not make the name vanish.
            ["Dialplan:CallerNameBudget"] = "00:00:03",
        });
        app.Start().Dispose();
        return app;
    }

    private static async Task<List<TcpClient>> OpenIdleAsync(IPEndPoint server, int count)
    {
        var sockets = new List<TcpClient>(count);
        for (var i = 0; i < count; i++)
        {
            var socket = new TcpClient(new IPEndPoint(Attacker, 0));
            await socket.ConnectAsync(server.Address, server.Port);
            sockets.Add(socket);
        }
        return sockets;
    }

    /// <summary>Whether the server closed the connection within <paramref name="within"/> (a read ends or fails).</summary>
    private static async Task<bool> ClosedWithinAsync(TcpClient socket, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            return await socket.GetStream().ReadAsync(new byte[1], timeout.Token) == 0;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    [Fact]
    public async Task Idle_sockets_from_one_address_beyond_its_share_are_closed_and_do_not_delay_a_lookup()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Dialplan:AllowedAddresses:0"] = "127.0.0.0/8",
            ["Dialplan:FastAgi:MaxConnections"] = "16",
            ["Dialplan:FastAgi:MaxConnectionsPerAddress"] = "8",
            // Long enough that only the per-address share, not the silence timeout, can explain a prompt answer.
            ["Dialplan:FastAgi:RequestTimeout"] = "00:01:00",
        });
        var server = app.Get<FastAgiServer>().LocalEndPoint!;
        var idle = await OpenIdleAsync(server, 40);
        try
        {
            var watch = Stopwatch.StartNew();
            var commands = await FakeAsterisk.CallAsync(server, "callerid", "09123456789", from: Asterisk);
            watch.Stop();

            Assert.Contains("SET VARIABLE LOOKUP \"found\"", commands);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the lookup waited {watch.Elapsed} behind idle sockets");
            var closed = await Task.WhenAll(idle.Select(s => ClosedWithinAsync(s, TimeSpan.FromSeconds(5))));
            Assert.Equal(32, closed.Count(c => c)); // all but the address's 8
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_refused_address_is_closed_on_connect_without_waiting_for_its_request()
    {
        await using var app = await StartAsync(new Dictionary<string, string?>
        {
            ["Dialplan:AllowedAddresses:0"] = "127.0.0.2",
            ["Dialplan:FastAgi:MaxConnections"] = "16",
        });
        var server = app.Get<FastAgiServer>().LocalEndPoint!;
        var refused = await OpenIdleAsync(server, 40);
        try
        {
            var closed = await Task.WhenAll(refused.Select(s => ClosedWithinAsync(s, TimeSpan.FromSeconds(3))));
            var watch = Stopwatch.StartNew();
            var commands = await FakeAsterisk.CallAsync(server, "callerid", "09123456789", from: Asterisk);

            Assert.All(closed, Assert.True);
            Assert.Contains("SET VARIABLE LOOKUP \"found\"", commands);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the lookup took {watch.Elapsed}");
        }
        finally
        {
            refused.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task A_peer_that_sends_no_request_is_cut_off_after_the_request_timeout()
    {
        await using var app = await StartAsync(new Dictionary<string, string?> { ["Dialplan:FastAgi:RequestTimeout"] = "00:00:01" });
        var server = app.Get<FastAgiServer>().LocalEndPoint!;
        using var silent = new TcpClient(new IPEndPoint(Attacker, 0));
        await silent.ConnectAsync(server.Address, server.Port);
        await silent.GetStream().WriteAsync("agi_network: yes\n"u8.ToArray()); // starts, then goes quiet

        var watch = Stopwatch.StartNew();
        Assert.True(await ClosedWithinAsync(silent, TimeSpan.FromSeconds(6)), "still open after 6 s");
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.5), $"closed after {watch.Elapsed}, before the timeout");
    }
}
