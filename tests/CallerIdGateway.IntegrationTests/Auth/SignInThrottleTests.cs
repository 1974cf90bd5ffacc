using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace CallerIdGateway.IntegrationTests.Auth;

/// <summary>The gateway behind a proxy on 127.0.0.1 (so tests speak from any client address with X-Forwarded-For), following a test ARI server.</summary>
public sealed class ProxiedAriGatewayFixture : IAsyncLifetime
{
    public const int SignInsPerAddress = 10;

    public TestAriServer Ari { get; } = new();

    public GatewayApp App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ari.StartAsync();
        var settings = GatewayApp.FollowingAri(Ari);
        settings["Hosting:ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        settings["Auth:SignInsPerAddress"] = SignInsPerAddress.ToString();
        App = GatewayApp.OnSqlite(settings);
        App.Start().Dispose();
        await Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Ari.DisposeAsync();
    }
}

/// <summary>Sign-in floods and guessing: throttled per address and per user name, without starving the calls.</summary>
public class SignInThrottleTests(ProxiedAriGatewayFixture fixture, ITestOutputHelper output) : IClassFixture<ProxiedAriGatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task A_flood_rotating_user_names_from_one_address_is_throttled_while_a_calls_card_still_reaches_the_hub_on_time()
    {
        await using var hub = App.CreateHubConnection(GatewayApp.ApiKey1008);
        var ringing = new ConcurrentDictionary<string, TaskCompletionSource<long>>();
        var clock = Stopwatch.StartNew();
        hub.On<CustomerCallDataDto>("CallChanged", d =>
        {
            if (d.Call!.State == "ringing")
            {
                ringing.GetOrAdd(d.Call.Id[..4], _ => new()).TrySetResult(clock.ElapsedMilliseconds);
            }
        });
        await hub.StartAsync();
        await hub.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        var quiet = await RingAsync("9600"); // also warms the call path up

        using var flooding = new CancellationTokenSource();
        var answers = new ConcurrentBag<(HttpStatusCode Status, bool RetryAfter, string? Type)>();
        var flood = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = App.BaseAddress });
            for (var i = 0; !flooding.IsCancellationRequested; i++)
            {
                using var response = await SignInAsync(client, $"guess-{worker}-{i}", "wrong-password", "203.0.113.7");
                answers.Add((response.StatusCode, response.Headers.RetryAfter is not null, response.Content.Headers.ContentType?.MediaType));
                await Task.Delay(25);
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the flood is under way
        var flooded = await RingAsync("9601");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!answers.Any(a => a.Status == HttpStatusCode.TooManyRequests) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        flooding.Cancel();
        await Task.WhenAll(flood);

        var statuses = answers.Select(a => a.Status).ToList();
        output.WriteLine($"card after {quiet} ms without a flood, {flooded} ms during it; answers: {string.Join(", ", statuses.GroupBy(s => s).Select(g => $"{(int)g.Key} x{g.Count()}"))}");
        Assert.DoesNotContain(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.Unauthorized) <= ProxiedAriGatewayFixture.SignInsPerAddress,
            $"{statuses.Count(s => s == HttpStatusCode.Unauthorized)} passwords checked for one address");
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.TooManyRequests), a =>
        {
            Assert.True(a.RetryAfter);
            Assert.Equal("application/problem+json", a.Type);
        });
        // Ring to screen takes milliseconds on an idle box; three seconds is a margin for a loaded CI box
        // (unbounded hashing delayed cards by 2-5 s), not a target.
        Assert.True(flooded < 3000, $"the card took {flooded} ms during the flood ({quiet} ms before it)");

        // Replays an answered call up to its ring; returns the milliseconds from the ring to the card.
        async Task<long> RingAsync(string prefix)
        {
            var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "answered", prefix);
            var ring = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\""));
            foreach (var frame in frames[..ring])
            {
                await fixture.Ari.SendFrameAsync(frame);
            }
            var card = ringing.GetOrAdd(prefix, _ => new());
            var sent = clock.ElapsedMilliseconds;
            await fixture.Ari.SendFrameAsync(frames[ring]);
            var received = await card.Task.WaitAsync(TimeSpan.FromSeconds(30));
            foreach (var frame in frames[(ring + 1)..])
            {
                await fixture.Ari.SendFrameAsync(frame);
            }
            return received - sent;
        }
    }

    [Fact]
    public async Task Parallel_wrong_guesses_are_checked_at_most_the_allowed_times_and_do_not_lock_the_agent_out_elsewhere()
    {
        using var client = App.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false, BaseAddress = App.BaseAddress });
        using var start = new ManualResetEventSlim();
        var burst = Enumerable.Range(0, 60).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            using var response = await SignInAsync(client, "agent1009", "wrong-password", "198.51.100.9");
            return response.StatusCode;
        })).ToArray();
        start.Set();
        var statuses = await Task.WhenAll(burst);

        var checkedGuesses = statuses.Count(s => s == HttpStatusCode.Unauthorized);
        Assert.True(checkedGuesses <= 5, $"{checkedGuesses} of 60 parallel guesses were checked (Auth:SignInAttempts is 5): {string.Join(",", statuses)}");
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        // Locked from the guessing address even with the right password, but not from the agent's own.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(client, "agent1009", GatewayApp.Password, "198.51.100.9")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(client, "agent1009", GatewayApp.Password, "192.0.2.44")).StatusCode);
    }

    private static Task<HttpResponseMessage> SignInAsync(HttpClient client, string username, string password, string address)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-Forwarded-For", address);
        return client.SendAsync(request);
    }
}
