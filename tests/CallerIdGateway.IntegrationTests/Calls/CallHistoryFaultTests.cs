using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using MySqlConnector;
using Xunit.Abstractions;

namespace CallerIdGateway.IntegrationTests.Calls;

/// <summary>
/// The history under faults injected into real processes: the gateway process killed with SIGKILL
/// in a call storm, its own MariaDB killed and started again while calls ring and end.
/// </summary>
public class CallHistoryFaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_gateway_killed_in_a_call_storm_and_restarted_leaves_no_call_ringing_and_keeps_every_missed_call_it_pushed()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var connectionString = await (await MySqlServer.GetAsync()).CreateDatabaseAsync("history_kill");
        var journal = TempJournal();
        try
        {
            var settings = Settings(ari, connectionString, journal);
            var pushedMissed = new ConcurrentDictionary<string, bool>();
            await using (var first = await RunningGateway.StartAsync(settings))
            {
                await ari.WaitForClientAsync(TimeSpan.FromSeconds(30));
                await using var hub = first.CreateHubConnection();
                hub.On<CustomerCallDataDto>("CallChanged", d =>
                {
                    if (d.Call!.State == "missed")
                    {
                        pushedMissed[d.Call.Id] = true;
                    }
                });
                await hub.StartAsync();
                await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" });

                // 150 calls, about 20 ringing at any moment; the gateway dies once 40 of them were pushed as missed.
                using var stop = new CancellationTokenSource();
                var storm = StormAsync(ari, "8", calls: 150, ringingAtOnce: 20, stop.Token);
                await WaitUntilAsync(() => Task.FromResult(pushedMissed.Count >= 40), TimeSpan.FromSeconds(60), () => first.Output);
                first.Kill();
                await stop.CancelAsync();
                await storm;
            }
            var pushed = pushedMissed.Keys.ToList();
            Assert.True(await CountAsync(connectionString, "state = 'ringing'") > 0, "the kill should leave calls ringing in the log (else this test proves nothing)");

            // When it is back, the PBX has no call left.
            ari.Channels = [];
            var restart = Stopwatch.StartNew();
            await using var second = await RunningGateway.StartAsync(settings);
            var started = restart.Elapsed;
            await WaitUntilAsync(async () => await CountAsync(connectionString, "state IN ('ringing', 'answered')") == 0, TimeSpan.FromSeconds(60), () => second.Output);
            output.WriteLine($"restart: answering after {started.TotalSeconds:F1} s, nothing ringing in the log after {restart.Elapsed.TotalSeconds:F1} s; " +
                $"{pushed.Count} missed pushed before the kill, {await CountAsync(connectionString, "1 = 1")} calls in the log");

            using var client = second.CreateKeyClient();
            var recent = (await client.GetFromJsonAsync<List<CustomerCallDataDto>>("/api/calls/recent?limit=500"))!;
            Assert.All(pushed, id => Assert.Equal("missed", Assert.Single(recent, d => d.Call!.Id == id).Call!.State));
            Assert.DoesNotContain(recent, d => d.Call!.State is "ringing" or "answered");
            Assert.All(recent.Where(d => d.Call!.State == "missed"), d => Assert.NotNull(d.Call!.EndedAt));
        }
        finally
        {
            File.Delete(journal);
        }
    }

    [Fact]
    public async Task Calls_that_ring_and_end_while_the_database_is_down_are_in_the_history_once_when_it_is_back()
    {
        await using var database = await DedicatedMariaDb.StartAsync();
        var connectionString = await database.CreateDatabaseAsync("history_outage");
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var journal = TempJournal();
        try
        {
            await using var gateway = await RunningGateway.StartAsync(Settings(ari, connectionString, journal));
            await ari.WaitForClientAsync(TimeSpan.FromSeconds(30));
            var pushed = new ConcurrentDictionary<string, string>();
            await using var hub = gateway.CreateHubConnection();
            hub.On<CustomerCallDataDto>("CallChanged", d => pushed[d.Call!.Id] = d.Call.State);
            await hub.StartAsync();
            await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
            using var client = gateway.CreateKeyClient();

            await ReplayAsync(ari, "missed", ["8100", "8101", "8102"]);
            await WaitUntilAsync(async () => (await RecentAsync(client))?.Count == 3, TimeSpan.FromSeconds(30), () => gateway.Output);

            database.Kill();
            string[] missedMeanwhile = [.. Enumerable.Range(0, 10).Select(i => $"82{i:D2}")];
            string[] answeredMeanwhile = [.. Enumerable.Range(0, 5).Select(i => $"83{i:D2}")];
            await ReplayAsync(ari, "missed", missedMeanwhile);
            await ReplayAsync(ari, "answered", answeredMeanwhile);
            await WaitUntilAsync(() => Task.FromResult(pushed.Count == 18 && pushed.Values.All(s => s is "missed" or "ended")), TimeSpan.FromSeconds(60), () => gateway.Output);

            var asked = Stopwatch.StartNew();
            using var unavailable = await client.GetAsync("/api/calls/recent");
            var answeredIn = asked.Elapsed;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
            Assert.Equal("application/problem+json", unavailable.Content.Headers.ContentType?.MediaType);
            Assert.True(answeredIn < TimeSpan.FromSeconds(8), $"/api/calls/recent took {answeredIn} with the database down");

            await database.RestartAsync();
            var back = Stopwatch.StartNew();
            await WaitUntilAsync(async () => (await RecentAsync(client))?.Count(d => d.Call!.State is "missed" or "ended") == 18, TimeSpan.FromSeconds(60), () => gateway.Output);
            output.WriteLine($"database down: /api/calls/recent answered 503 in {answeredIn.TotalMilliseconds:F0} ms; " +
                $"15 calls of the outage in the history {back.Elapsed.TotalSeconds:F1} s after the database accepted connections again");

            var recent = (await RecentAsync(client))!;
            Assert.Equal(pushed.Keys.Order(), recent.Select(d => d.Call!.Id).Order()); // each call once
            Assert.All(recent, d => Assert.Equal(pushed[d.Call!.Id], d.Call.State));
            Assert.Equal(18, await CountAsync(connectionString, "1 = 1"));
        }
        finally
        {
            File.Delete(journal);
        }
    }

    private static Dictionary<string, string?> Settings(TestAriServer ari, string connectionString, string journal)
    {
        var settings = GatewayApp.FollowingAri(ari);
        settings["Database:Provider"] = "MySql";
        settings["ConnectionStrings:Gateway"] = connectionString;
        settings["Gateway:CallLogJournal"] = journal;
        return settings;
    }

    private static string TempJournal() => TestFiles.NewPath("callerid-test-calls", ".jsonl");

    /// <summary>Each call's frames in full, one call after the other (ids from the prefixes).</summary>
    private static async Task ReplayAsync(TestAriServer ari, string scenario, IEnumerable<string> prefixes)
    {
        foreach (var prefix in prefixes)
        {
            foreach (var frame in AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, scenario, prefix))
            {
                await ari.SendFrameAsync(frame);
            }
        }
    }

    /// <summary>
    /// The captured missed call, <paramref name="calls"/> times with fresh ids: each call rings, and
    /// the one that rang <paramref name="ringingAtOnce"/> calls earlier ends, until stopped.
    /// </summary>
    private static async Task StormAsync(TestAriServer ari, string prefix, int calls, int ringingAtOnce, CancellationToken stop)
    {
        var frames = Enumerable.Range(0, calls).Select(i => AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "missed", $"{prefix}{i:D3}")).ToList();
        var ringing = Array.FindIndex(frames[0], f => f.Contains("\"dialstatus\":\"RINGING\"", StringComparison.Ordinal)) + 1;
        try
        {
            for (var step = 0; step < calls + ringingAtOnce && !stop.IsCancellationRequested; step++)
            {
                if (step < calls)
                {
                    foreach (var frame in frames[step][..ringing])
                    {
                        await ari.SendFrameAsync(frame);
                    }
                }
                if (step >= ringingAtOnce)
                {
                    foreach (var frame in frames[step - ringingAtOnce][ringing..])
                    {
                        await ari.SendFrameAsync(frame);
                    }
                }
                await Task.Delay(10, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.WebSockets.WebSocketException or InvalidOperationException)
        {
            // Stopped, or the gateway died under the send (its socket aborted, or gone).
        }
    }

    private static async Task<List<CustomerCallDataDto>?> RecentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/calls/recent?limit=500");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<List<CustomerCallDataDto>>() : null;
    }

    private static async Task<long> CountAsync(string connectionString, string where)
    {
        await using var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM gateway_calls WHERE {where}";
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout}; the gateway wrote:\n{context()}");
            await Task.Delay(100);
        }
    }
}
