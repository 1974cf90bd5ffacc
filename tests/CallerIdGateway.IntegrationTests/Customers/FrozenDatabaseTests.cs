using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using CallerIdGateway.Customers;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace CallerIdGateway.IntegrationTests.Customers;

/// <summary>A MariaDB of this class's own, which the tests freeze (SIGSTOP) and thaw: the shared test server stays untouched.</summary>
public sealed class FrozenDatabaseFixture : IAsyncLifetime
{
    public DedicatedMariaDb Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await DedicatedMariaDb.StartAsync();

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync(); // kills it, frozen or not
        }
    }
}

/// <summary>
/// The database server stalls (a long lock, a backup, a frozen VM): the card of a ringing call, a
/// REST lookup and readiness still answer within their budgets, and a breaker stops asking.
/// </summary>
public class FrozenDatabaseTests(FrozenDatabaseFixture fixture, ITestOutputHelper output) : IClassFixture<FrozenDatabaseFixture>
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2); // Database:LookupTimeout's default
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(2); // CI runs on two busy cores

    [Fact]
    public async Task A_call_ringing_while_the_database_is_frozen_shows_unavailable_within_the_budget_and_the_customer_once_it_thaws()
    {
        await using var ari = new TestAriServer();
        await ari.StartAsync();
        var settings = GatewayApp.FollowingAri(ari);
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        var app = await GatewayApp.OnMySqlAsync(settings, await fixture.Server.CreateDatabaseAsync("stall"));
        try
        {
            using var client = app.Start();
            await ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
            await using var agent = app.CreateHubConnection(GatewayApp.ApiKey1008);
            var inbox = new HubInbox(agent);
            await agent.StartAsync();
            await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
            // The lookup path is warm, with another number: the caller's answer is not in the cache.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/customers/by-phone/09121112233")).StatusCode);
            var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered", "9301");
            var ringing = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\""));

            await fixture.Server.FreezeAsync();
            var sinceRing = Stopwatch.StartNew();
            foreach (var frame in frames[..(ringing + 1)])
            {
                await ari.SendFrameAsync(frame);
            }
            var card = await inbox.NextAsync(d => d.Call!.State == "ringing", TimeSpan.FromSeconds(60));
            sinceRing.Stop();

            Assert.Equal("unavailable", card.Lookup);
            Assert.Equal("12345678", card.Call!.CallerNumber);
            Assert.Equal("+982112345678", card.Number!.Normalized);
            Assert.True(sinceRing.Elapsed < Budget + Margin, $"the card came {sinceRing.ElapsedMilliseconds} ms after the ring");
            output.WriteLine($"frozen: the card ({card.Lookup}) came {sinceRing.ElapsedMilliseconds} ms after the ring");

            await fixture.Server.ThawAsync();
            var sinceThaw = Stopwatch.StartNew();
            var update = await inbox.NextAsync(d => d.Call!.Id == card.Call.Id, TimeSpan.FromSeconds(60));
            output.WriteLine($"thawed: the update ({update.Lookup}) came {sinceThaw.ElapsedMilliseconds} ms after the thaw");
            Assert.Equal("ringing", update.Call!.State);
            Assert.Equal("found", update.Lookup);
            Assert.Equal("خلیلی", update.Customer!.Name);

            foreach (var frame in frames[(ringing + 1)..])
            {
                await ari.SendFrameAsync(frame);
            }
            var answered = await inbox.NextAsync(d => d.Call!.State == "answered", TimeSpan.FromSeconds(30));
            Assert.Equal("found", answered.Lookup); // later changes carry the newest lookup
            Assert.Equal("خلیلی", answered.Customer!.Name);
        }
        finally
        {
            await fixture.Server.ThawAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task While_the_database_is_frozen_lookups_answer_503_within_the_budget_readiness_within_a_second_and_the_open_breaker_at_once()
    {
        var app = await GatewayApp.OnMySqlAsync(Settings, await fixture.Server.CreateDatabaseAsync("stall"));
        try
        {
            using var client = app.Start();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/customers/by-phone/09123456789")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
            var resolver = app.Get<CallerResolver>();

            await fixture.Server.FreezeAsync();

            var (lookup, lookupTime) = await TimedAsync(() => client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.StatusCode);
            Assert.Equal("Customer database unavailable", (await lookup.Content.ReadFromJsonAsync<ProblemDetails>())!.Title);
            Assert.True(lookupTime < Budget + Margin, $"the lookup answered after {lookupTime.TotalMilliseconds:0} ms");
            output.WriteLine($"frozen: REST lookup answered {(int)lookup.StatusCode} after {lookupTime.TotalMilliseconds:0} ms");

            var (ready, readyTime) = await TimedAsync(() => client.GetAsync("/health/ready"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.True(readyTime < TimeSpan.FromSeconds(1) + Margin, $"readiness answered after {readyTime.TotalMilliseconds:0} ms");
            output.WriteLine($"frozen: /health/ready answered {(int)ready.StatusCode} after {readyTime.TotalMilliseconds:0} ms");

            // A few more timeouts open the breaker; then a lookup does not even ask.
            for (var i = 0; i < 5 && !resolver.IsDatabaseShunned; i++)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}")).StatusCode);
            }
            Assert.True(resolver.IsDatabaseShunned, "the breaker did not open");
            var (shunned, shunnedTime) = await TimedAsync(() => client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, shunned.StatusCode);
            Assert.True(shunnedTime < TimeSpan.FromMilliseconds(500), $"with the breaker open the lookup took {shunnedTime.TotalMilliseconds:0} ms");
            output.WriteLine($"frozen, breaker open: REST lookup answered {(int)shunned.StatusCode} after {shunnedTime.TotalMilliseconds:0} ms");

            await fixture.Server.ThawAsync();
            var sinceThaw = Stopwatch.StartNew();

            // The breaker probes again and closes: the database answers lookups again (numbers not in the cache).
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HttpStatusCode status;
            while ((status = (await client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}")).StatusCode) != HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.False(resolver.IsDatabaseShunned);
            output.WriteLine($"thawed: lookups answered by the database again {sinceThaw.ElapsedMilliseconds} ms after the thaw");
        }
        finally
        {
            await fixture.Server.ThawAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Lookups_given_up_on_do_not_pile_up_at_a_frozen_database()
    {
        // The breaker stays closed; a long budget, so that "answered at once" (past the cap) and "waited for
        // the budget" (no cap) stay far apart even on a loaded CI machine.
        var settings = new Dictionary<string, string?>(Settings)
        {
            ["Database:LookupBreakerMinimumThroughput"] = "1000",
            ["Database:LookupTimeout"] = "00:00:06",
        };
        var app = await GatewayApp.OnMySqlAsync(settings, await fixture.Server.CreateDatabaseAsync("stall"));
        try
        {
            using var client = app.Start();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/customers/by-phone/09123456789")).StatusCode);

            await fixture.Server.FreezeAsync();
            var storm = await Task.WhenAll(Enumerable.Range(0, CallerResolver.MaxAbandonedLookups + 4)
                .Select(_ => client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}")));
            Assert.All(storm, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.StatusCode));

            // Every one of them still waits at the database: the next lookup does not add to them.
            var (next, nextTime) = await TimedAsync(() => client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, next.StatusCode);
            Assert.True(nextTime < TimeSpan.FromSeconds(2), $"the lookup past the cap took {nextTime.TotalMilliseconds:0} ms");
            output.WriteLine($"frozen, {storm.Length} lookups given up on: the next answered {(int)next.StatusCode} after {nextTime.TotalMilliseconds:0} ms");

            await fixture.Server.ThawAsync();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            HttpStatusCode status;
            while ((status = (await client.GetAsync($"/api/customers/by-phone/{UnseenNumber()}")).StatusCode) != HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
            Assert.Equal(HttpStatusCode.NotFound, status);
        }
        finally
        {
            await fixture.Server.ThawAsync();
            await app.DisposeAsync();
        }
    }

    // A short break, so the breaker probes again soon after the thaw; the resolver's own lines show when it gives up on a query.
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Database:LookupBreakerBreakDuration"] = "00:00:01",
        ["Serilog:MinimumLevel:Override:CallerIdGateway.Customers.CallerResolver"] = "Information",
    };

    private static string UnseenNumber() => "0935" + Random.Shared.Next(1_000_000, 9_999_999);

    private static async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> TimedAsync(Func<Task<HttpResponseMessage>> request)
    {
        var watch = Stopwatch.StartNew();
        var response = await request();
        return (response, watch.Elapsed);
    }

    /// <summary>Every <c>CallChanged</c> a hub client receives, awaited in order.</summary>
    private sealed class HubInbox
    {
        private readonly Channel<CustomerCallDataDto> _received = Channel.CreateUnbounded<CustomerCallDataDto>();

        public HubInbox(HubConnection connection) => connection.On<CustomerCallDataDto>("CallChanged", d => _received.Writer.TryWrite(d));

        /// <summary>The next message that matches, skipping others; fails the test after the timeout.</summary>
        public async Task<CustomerCallDataDto> NextAsync(Func<CustomerCallDataDto, bool> match, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    var message = await _received.Reader.ReadAsync(cancel.Token);
                    if (match(message))
                    {
                        return message;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no matching CallChanged within {timeout}");
            }
        }
    }
}
