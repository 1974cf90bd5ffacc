using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.IntegrationTests.Calls;

/// <summary>
/// Several gateway instances write the same call-log rows (docs/scaling.md): a late write of an older
/// state must not undo a later one, on both databases.
/// </summary>
public class CallLogUpsertOrderTests
{
    [Theory]
    [InlineData("MySql")]
    [InlineData("Sqlite")]
    public async Task A_late_write_of_an_earlier_state_does_not_move_a_call_back_but_a_missed_call_may_ring_again(string provider)
    {
        await using var app = provider == "MySql" ? await GatewayApp.OnMySqlAsync() : GatewayApp.OnSqlite();
        app.Start();

        Assert.Equal("ringing", await WriteAsync(app, "1.1", "ringing"));
        Assert.Equal("answered", await WriteAsync(app, "1.1", "answered"));
        Assert.Equal("answered", await WriteAsync(app, "1.1", "ringing")); // another instance's late ring
        Assert.Equal("ended", await WriteAsync(app, "1.1", "ended"));
        Assert.Equal("ended", await WriteAsync(app, "1.1", "answered"));
        Assert.Equal("ended", await WriteAsync(app, "1.1", "ringing"));
        Assert.Equal("answeredElsewhere", await WriteAsync(app, "2.1", "answeredElsewhere"));
        Assert.Equal("answeredElsewhere", await WriteAsync(app, "2.1", "ringing"));

        Assert.Equal("missed", await WriteAsync(app, "3.1", "missed"));
        Assert.Equal("ringing", await WriteAsync(app, "3.1", "ringing")); // a queue rang the agent again
        Assert.Equal("answered", await WriteAsync(app, "3.1", "answered"));
    }

    private static async Task<string> WriteAsync(GatewayApp app, string callId, string state) =>
        await app.WithDbAsync(async db =>
        {
            await CallLogSql.UpsertAsync(db, [new CallRecord
            {
                CallId = callId, Extension = "1008", CallerNumber = "09123456789", Lookup = "notFound", State = state, Source = "ari",
                StartedAt = DateTime.UtcNow, Payload = "{}",
            }], CancellationToken.None);
            return (await db.Calls.AsNoTracking().SingleAsync(c => c.CallId == callId)).State;
        });
}
