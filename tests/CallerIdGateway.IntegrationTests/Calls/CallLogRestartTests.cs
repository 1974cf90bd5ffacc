using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Calls;

/// <summary>What the call log does across a stop and a start: close what was left open, replay what the database did not take.</summary>
public class CallLogRestartTests
{
    [Fact]
    public async Task Without_an_asterisk_source_a_start_closes_the_calls_an_earlier_run_left_ringing_or_answered()
    {
        var file = TestFiles.NewPath("callerid-test", ".db");
        try
        {
            await using (var first = GatewayApp.OnSqlite(databaseFile: file))
            {
                first.Start();
                var log = first.Get<CallLog>();
                var ringing = Call("left-ringing", CallState.Ringing);
                var answered = Call("left-answered", CallState.Answered) with { AnsweredAt = DateTimeOffset.UtcNow };
                await log.NotifyAsync(ringing, Data(ringing), CancellationToken.None);
                await log.NotifyAsync(answered, Data(answered), CancellationToken.None);
            }

            await using var second = GatewayApp.OnSqlite(databaseFile: file);
            second.Start();
            var restartedAt = second.Get<CallLog>().StartedAt;
            var rows = await WaitForAsync(second, rows => rows.All(r => r.State is not ("ringing" or "answered")));

            Assert.Equal(["left-answered ended", "left-ringing missed"], rows.Select(r => $"{r.CallId} {r.State}").Order());
            Assert.All(rows, r => Assert.True(r.EndedAt >= restartedAt.UtcDateTime, "the end is when the gateway noticed"));
            var recent = await second.Get<CallLog>().RecentAsync(null, 10, CancellationToken.None);
            Assert.Equal([CallState.Ended, CallState.Missed], recent.Select(d => d.Call!.State).Order());
            Assert.All(recent, d => Assert.NotNull(d.Call!.EndedAt));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Changes_the_database_did_not_take_before_a_graceful_stop_are_stored_by_the_next_start()
    {
        await using var database = await DedicatedMariaDb.StartAsync();
        var connectionString = await database.CreateDatabaseAsync("history_stop");
        var journal = TestFiles.NewPath("callerid-test-calls", ".jsonl");
        var settings = new Dictionary<string, string?> { ["Gateway:CallLogJournal"] = journal };
        try
        {
            await using (var first = await GatewayApp.OnMySqlAsync(settings, connectionString))
            {
                first.Start();
                var log = first.Get<CallLog>();
                database.Kill();
                for (var i = 0; i < 20; i++)
                {
                    var ringing = Call($"outage-{i}", CallState.Ringing);
                    await log.NotifyAsync(ringing, Data(ringing), CancellationToken.None);
                    var missed = ringing with { State = CallState.Missed, EndedAt = DateTimeOffset.UtcNow };
                    await log.NotifyAsync(missed, Data(missed), CancellationToken.None);
                }
                Assert.Equal(20, log.Backlog);
            }
            Assert.NotEqual(0, new FileInfo(journal).Length);

            await database.RestartAsync();
            // The next start is a new process in real life: it must not inherit this process's pooled
            // connections to the server that was killed (EF's migration lock would take a dead one).
            await MySqlConnection.ClearAllPoolsAsync();
            await using var second = await GatewayApp.OnMySqlAsync(settings, connectionString);
            second.Start();
            var rows = await WaitForAsync(second, rows => rows.Count == 20);
            Assert.All(rows, r => Assert.Equal("missed", r.State));
            await WaitForAsync(second, _ => new FileInfo(journal).Length == 0); // emptied once stored
        }
        finally
        {
            File.Delete(journal);
        }
    }

    private static async Task<List<CallRecord>> WaitForAsync(GatewayApp app, Func<List<CallRecord>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = await app.WithDbAsync(db => db.Calls.AsNoTracking().ToListAsync());
            if (condition(rows))
            {
                return rows;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out; the log has {string.Join(", ", rows.Select(r => $"{r.CallId} {r.State}"))}");
            await Task.Delay(100);
        }
    }

    private static CallInfo Call(string id, CallState state) => new()
    {
        Id = id,
        Extension = "1008",
        CallerNumber = "09123456789",
        CallerName = "",
        NormalizedNumber = "+989123456789",
        State = state,
        Source = CallSource.Ari,
        StartedAt = DateTimeOffset.UtcNow,
    };

    private static CustomerCallData Data(CallInfo call) => new()
    {
        Lookup = LookupStatus.NotFound,
        Call = call,
    };
}
