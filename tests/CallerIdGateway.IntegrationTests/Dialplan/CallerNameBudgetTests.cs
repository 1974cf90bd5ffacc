using System.Diagnostics;
using System.Net;
using CallerIdGateway.IntegrationTests.Infrastructure;
using MySqlConnector;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>The caller-name hook never holds the dialplan: a database that stops answering costs the budget, not the call.</summary>
public class CallerNameBudgetTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task With_a_database_that_accepts_but_never_answers_the_name_comes_back_empty_within_the_budget()
    {
        var direct = new MySqlConnectionStringBuilder(await (await MySqlServer.GetAsync()).CreateDatabaseAsync("budget"));
        var proxy = new SilenceableTcpProxy(direct.Server, (int)direct.Port);
        var viaProxy = new MySqlConnectionStringBuilder(direct.ConnectionString) { Server = "127.0.0.1", Port = (uint)proxy.Port };
        var app = await GatewayApp.OnMySqlAsync(new Dictionary<string, string?>
        {
            ["Dialplan:CallerNameBudget"] = Budget.ToString(),
            // The resolver's own deadline is far away: only the hook's budget can answer in time.
            ["Database:LookupTimeout"] = "00:00:30",
        }, viaProxy.ConnectionString);
        try
        {
            app.Start().Dispose(); // migrations and demo data go through the proxy while it still forwards
            using var hooks = DialplanGatewayFixture.Hooks(app);
            // The first request of a fresh process pays for JIT and routing before the hook even runs; not what is measured here.
            (await hooks.GetAsync("/api/dialplan/caller-name?number=09123456789")).Dispose();
            proxy.Silence();
            var unseenNumber = "0935" + Random.Shared.Next(1_000_000, 9_999_999); // not in the lookup cache

            var watch = Stopwatch.StartNew();
            using var response = await hooks.GetAsync($"/api/dialplan/caller-name?number={unseenNumber}");
            watch.Stop();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("", await response.Content.ReadAsStringAsync());
            Assert.True(watch.Elapsed < Budget + TimeSpan.FromSeconds(1), $"answered after {watch.ElapsedMilliseconds} ms");
            Assert.True(proxy.SwallowedRequests > 0, "the database was never asked");
        }
        finally
        {
            // Closing the proxy first fails the hanging database calls at once, so the gateway stops quickly.
            await proxy.DisposeAsync();
            await app.DisposeAsync();
        }
    }
}
