using System.Net;
using System.Net.Http.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.Contracts;
using CallerIdGateway.IntegrationTests.Infrastructure;
using CallerIdGateway.IntegrationTests.Sources;
using CallerIdGateway.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Calls;

/// <summary>The hub, the call log and who may see what: a real Kestrel, real SignalR clients, the test ARI server ringing.</summary>
public class CallsHubTests(AriGatewayFixture fixture) : IClassFixture<AriGatewayFixture>
{
    private GatewayApp App => fixture.App;

    [Fact]
    public async Task A_subscribed_client_receives_the_ring_with_the_customer_and_every_state_change()
    {
        await using var agent = App.CreateHubConnection(GatewayApp.ApiKey1008);
        var received = Collect(agent);
        await agent.StartAsync();
        Assert.Equal(["1008"], await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" }));

        await ReplayFreshAsync("answered", "9201");

        await WaitAsync(() => received.Count >= 3);
        Assert.Equal(["ringing", "answered", "ended"], received.Select(d => d.Call!.State));
        var ringing = received[0];
        Assert.Equal("found", ringing.Lookup);
        Assert.Equal("1008", ringing.Call!.Extension);
        Assert.Equal("12345678", ringing.Call.CallerNumber);
        Assert.Equal("+982112345678", ringing.Call.NormalizedNumber);
        Assert.Equal("خلیلی", ringing.Customer!.Name);
        Assert.Equal("1403-0457", ringing.LastInvoice!.Number);
        Assert.Equal("ari", ringing.Call.Source);
        Assert.NotNull(received[2].Call!.EndedAt);
    }

    [Fact]
    public async Task A_client_of_1009_does_not_receive_1008s_call_and_cannot_subscribe_to_it()
    {
        await using var other = App.CreateHubConnection(GatewayApp.ApiKey1009);
        var received = Collect(other);
        await other.StartAsync();
        Assert.Equal(["1009"], await other.InvokeAsync<string[]>("Subscribe", new[] { "1008", "1009" }));
        await using var agent = App.CreateHubConnection(GatewayApp.ApiKey1008);
        var agentReceived = Collect(agent);
        await agent.StartAsync();
        await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" });

        await ReplayFreshAsync("missed", "9202");

        await WaitAsync(() => agentReceived.Count >= 2);
        // A message to 1009's group now reaches 1009 after anything sent to it before (one connection keeps its order).
        await App.Get<IHubContext<CallsHub, ICallsClient>>().Clients.Group(CallsHub.Group("1009")).CallChanged(new CustomerCallData
        {
            Lookup = LookupStatus.NoNumber,
            Call = new CallInfo
            {
                Id = "sentinel", Extension = "1009", CallerNumber = "", CallerName = "", State = CallState.Ringing, Source = CallSource.Hook,
                StartedAt = DateTimeOffset.UtcNow,
            },
        });
        await WaitAsync(() => received.Count >= 1);
        Assert.Equal("sentinel", Assert.Single(received).Call!.Id);
    }

    [Fact]
    public async Task A_supervisor_sees_every_extension()
    {
        await using var supervisor = App.CreateHubConnection(GatewayApp.ApiKey);
        var received = Collect(supervisor);
        await supervisor.StartAsync();
        Assert.Equal(["*"], await supervisor.InvokeAsync<string[]>("Subscribe", new[] { "*" }));

        await ReplayFreshAsync("ring-group", "9203");

        await WaitAsync(() => received.Count >= 5);
        Assert.Contains(received, d => d.Call!.Extension == "1009" && d.Call.State == "answeredElsewhere" && d.Call.AnsweredBy == "1008");
    }

    [Fact]
    public async Task A_client_connecting_while_a_call_rings_gets_it_from_GetActiveCalls_and_from_the_rest_api()
    {
        var frames = AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, "no-answer", "9204");
        var ringing = Array.FindIndex(frames, f => f.Contains("\"dialstatus\":\"RINGING\""));
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        foreach (var frame in frames[..(ringing + 1)])
        {
            await fixture.Ari.SendFrameAsync(frame);
        }
        await WaitAsync(() => fixture.Calls.Published.Any(d => d.Call!.Id.StartsWith("9204") && d.Call.State == CallState.Ringing));

        await using var late = App.CreateHubConnection(GatewayApp.ApiKey1008);
        await late.StartAsync();
        await late.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        var active = await late.InvokeAsync<CustomerCallDataDto[]>("GetActiveCalls");
        var rest = await App.CreateKeyClient().GetFromJsonAsync<CustomerCallDataDto[]>("/api/calls/active");

        Assert.Contains(active, d => d.Call!.Id.StartsWith("9204") && d.Call.State == "ringing" && d.Customer!.Name == "خلیلی");
        Assert.Contains(rest!, d => d.Call!.Id.StartsWith("9204"));
        foreach (var frame in frames[(ringing + 1)..])
        {
            await fixture.Ari.SendFrameAsync(frame);
        }
        await WaitAsync(() => fixture.Calls.Published.Any(d => d.Call!.Id.StartsWith("9204") && d.Call.State == CallState.Missed));
        var recent = await App.CreateKeyClient().GetFromJsonAsync<CustomerCallDataDto[]>("/api/calls/recent?limit=20");
        Assert.Contains(recent!, d => d.Call!.Id.StartsWith("9204") && d.Call.State == "missed");
        Assert.DoesNotContain(await App.CreateKeyClient().GetFromJsonAsync<CustomerCallDataDto[]>("/api/calls/active") ?? [], d => d.Call!.Id.StartsWith("9204"));
    }

    [Fact]
    public async Task Without_credentials_the_hub_and_the_api_refuse()
    {
        await using var anonymous = App.CreateHubConnection(apiKey: null);
        var hubError = await Assert.ThrowsAnyAsync<Exception>(() => anonymous.StartAsync());
        Assert.Contains("401", hubError.Message);

        await using var wrongKey = App.CreateHubConnection("not-a-key-not-a-key");
        await Assert.ThrowsAnyAsync<Exception>(() => wrongKey.StartAsync());

        var client = App.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/calls/active")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/calls/recent")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/customers/by-phone/09123456789")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task An_agent_signs_in_with_a_cookie_sees_only_their_extension_and_signs_out()
    {
        var client = App.CreateAnonymousClient();
        var signIn = await GatewayApp.SignInAsync(client, "agent1008");
        signIn.EnsureSuccessStatusCode();

        var me = await client.GetFromJsonAsync<MeDto>("/api/auth/me");
        Assert.Equal(["1008"], me!.Extensions);
        Assert.False(me.SeesAllExtensions);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/calls/recent")).StatusCode);
        var recent = await client.GetFromJsonAsync<CustomerCallDataDto[]>("/api/calls/recent?limit=500");
        Assert.All(recent!, d => Assert.Equal("1008", d.Call!.Extension));

        await client.PostAsync("/api/auth/logout", null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_repeated_attempts_are_rate_limited()
    {
        var client = App.CreateAnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            statuses.Add((await GatewayApp.SignInAsync(client, "agent1009", "wrong")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), statuses[..5]);
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 3), statuses[5..]);
        // Locked even with the right password, until the window passes; other users are not affected.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await GatewayApp.SignInAsync(client, "agent1009")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GatewayApp.SignInAsync(App.CreateAnonymousClient(), "supervisor")).StatusCode);
    }

    [Fact]
    public async Task Recent_rejects_a_limit_out_of_range()
    {
        var response = await App.CreateKeyClient().GetAsync("/api/calls/recent?limit=0");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private sealed record MeDto(string Name, string DisplayName, List<string> Extensions, bool SeesAllExtensions);

    private static List<CustomerCallDataDto> Collect(HubConnection connection)
    {
        var received = new List<CustomerCallDataDto>();
        connection.On<CustomerCallDataDto>("CallChanged", d => { lock (received) { received.Add(d); } });
        return received;
    }

    private async Task ReplayFreshAsync(string scenario, string prefix)
    {
        await fixture.Ari.WaitForClientAsync(TimeSpan.FromSeconds(15));
        foreach (var frame in AsteriskFixtures.AriFrames(AsteriskFixtures.Pjsip22, scenario, prefix))
        {
            await fixture.Ari.SendFrameAsync(frame);
        }
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
