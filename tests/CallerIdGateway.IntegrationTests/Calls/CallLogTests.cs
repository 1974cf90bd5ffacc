using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.IntegrationTests.Calls;

/// <summary>The call log's batched writes, on a real MySQL-family server.</summary>
public class CallLogTests
{
    [Fact]
    public async Task A_storm_of_changes_is_stored_with_the_last_state_of_every_call()
    {
        await using var app = await GatewayApp.OnMySqlAsync();
        app.Start();
        var log = app.Get<CallLog>();

        // 300 calls, each ringing then missed, queued faster than any database writes them one by one.
        for (var i = 0; i < 300; i++)
        {
            var ringing = Call($"storm-{i}", CallState.Ringing);
            await log.NotifyAsync(ringing, Data(ringing), CancellationToken.None);
        }
        for (var i = 0; i < 300; i++)
        {
            var missed = Call($"storm-{i}", CallState.Missed);
            await log.NotifyAsync(missed, Data(missed), CancellationToken.None);
        }

        var recent = await log.RecentAsync(["1008"], 500, CancellationToken.None);
        Assert.Equal(300, recent.Count);
        Assert.All(recent, d => Assert.Equal(CallState.Missed, d.Call!.State));
        var rows = await app.WithDbAsync(db => db.Calls.CountAsync(c => c.CallId.StartsWith("storm-")));
        Assert.Equal(300, rows);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("Sqlite")]
    public async Task A_call_stored_in_one_batch_is_updated_by_the_next(string provider)
    {
        await using var app = provider == "MySql" ? await GatewayApp.OnMySqlAsync() : GatewayApp.OnSqlite();
        app.Start();
        var log = app.Get<CallLog>();
        var started = DateTimeOffset.UtcNow.AddSeconds(-10);

        var ringing = Call("batches-1", CallState.Ringing) with { StartedAt = started };
        await log.NotifyAsync(ringing, Data(ringing), CancellationToken.None);
        await log.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var answered = ringing with { State = CallState.Answered, AnsweredAt = started.AddSeconds(3) };
        await log.NotifyAsync(answered, Data(answered) with { Customer = new() { Id = 7, Name = "x", PhoneNumbers = ["09123456789"] } }, CancellationToken.None);
        await log.FlushAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        var ended = answered with { State = CallState.Ended, EndedAt = started.AddSeconds(9) };
        await log.NotifyAsync(ended, Data(ended) with { Customer = new() { Id = 7, Name = "x", PhoneNumbers = ["09123456789"] } }, CancellationToken.None);

        var recent = Assert.Single(await log.RecentAsync(["1008"], 10, CancellationToken.None));
        Assert.Equal(CallState.Ended, recent.Call!.State);
        var row = await app.WithDbAsync(db => db.Calls.SingleAsync(c => c.CallId == "batches-1"));
        Assert.Equal(("09123456789", "+989123456789", 7L, "ended", "ari"), (row.CallerNumber, row.NormalizedNumber, row.CustomerId!.Value, row.State, row.Source));
        Assert.Equal(started.UtcDateTime, row.StartedAt, TimeSpan.FromMilliseconds(1));
        Assert.Equal(started.AddSeconds(3).UtcDateTime, row.AnsweredAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Equal(started.AddSeconds(9).UtcDateTime, row.EndedAt!.Value, TimeSpan.FromMilliseconds(1));
        Assert.Contains("\"state\":\"ended\"", row.Payload);
        Assert.Equal("notFound", row.Lookup); // the contract's name of LookupStatus.NotFound
    }

    [Fact]
    public async Task Changes_queued_when_the_gateway_stops_are_stored_before_it_exits()
    {
        var app = await GatewayApp.OnMySqlAsync();
        app.Start();
        var connectionString = app.ConnectionString;
        var log = app.Get<CallLog>();
        for (var i = 0; i < 100; i++)
        {
            var ended = Call($"stop-{i}", CallState.Missed);
            await log.NotifyAsync(ended, Data(ended), CancellationToken.None);
        }

        await app.DisposeAsync();

        await using var again = await GatewayApp.OnMySqlAsync(connectionString: connectionString);
        again.Start();
        Assert.Equal(100, await again.WithDbAsync(db => db.Calls.CountAsync(c => c.CallId.StartsWith("stop-"))));
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
        EndedAt = state == CallState.Ringing ? null : DateTimeOffset.UtcNow,
    };

    private static CustomerCallData Data(CallInfo call) => new()
    {
        Lookup = LookupStatus.NotFound,
        Call = call,
    };
}
