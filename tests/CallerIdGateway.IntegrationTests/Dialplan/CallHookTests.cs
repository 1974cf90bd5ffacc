using System.Net;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// <c>/api/dialplan/calls/*</c> as a dialplan's <c>b()</c> pre-dial handler, <c>U()</c> GoSub and hangup
/// handlers call it: HTTP report → the tracker → the caller lookup → the hub, like an ARI/AMI call.
/// </summary>
public class CallHookTests(DialplanGatewayFixture fixture) : IClassFixture<DialplanGatewayFixture>
{
    private const string Secret = DialplanGatewayFixture.Secret;
    private HttpClient Hooks => fixture.Dialplan;

    // What CURL(url) sends: a GET with the parameters in the query.
    private Task<HttpResponseMessage> GetAsync(string kind, string query) => Hooks.GetAsync($"/api/dialplan/calls/{kind}?{query}");

    // What CURL(url,data) sends: a form POST.
    private Task<HttpResponseMessage> PostAsync(string kind, IDictionary<string, string> form) =>
        Hooks.PostAsync($"/api/dialplan/calls/{kind}", new FormUrlEncodedContent(form));

    private static string NewCallId() => $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(1_000, 1_000_000)}";

    [Fact]
    public async Task A_reported_call_is_tracked_looked_up_and_pushed_to_the_agent_like_an_ari_call_and_repeats_change_nothing()
    {
        await using var agent = fixture.App.CreateHubConnection(GatewayApp.ApiKey1008);
        var pushed = new List<CustomerCallDataDto>();
        agent.On<CustomerCallDataDto>("CallChanged", d => { lock (pushed) { pushed.Add(d); } });
        await agent.StartAsync();
        await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        var call = NewCallId();
        var leg = call + "1";
        var ringing = $"call={call}&leg={leg}&channel=PJSIP%2F1008-0000002a&number=12345678&name=&secret={Secret}";
        var answered = new Dictionary<string, string> { ["call"] = call, ["leg"] = leg, ["secret"] = Secret };

        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("ringing", ringing)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("ringing", ringing)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("answered", answered)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("answered", answered)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("ringing", ringing)).StatusCode); // a late duplicate of the ring
        Assert.Equal(HttpStatusCode.Accepted, (await PostAsync("ended", new Dictionary<string, string>(answered) { ["cause"] = "16" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("hangup", $"call={call}&secret={Secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("hangup", $"call={call}&secret={Secret}")).StatusCode);

        await WaitAsync(() => Snapshot(pushed).Any(d => d.Call!.Id == call && d.Call.State == "ended"));
        var ofCall = Snapshot(pushed).Where(d => d.Call!.Id == call).ToList();
        Assert.Equal(["ringing", "answered", "ended"], ofCall.Select(d => d.Call!.State));
        Assert.All(ofCall, d =>
        {
            Assert.Equal("hook", d.Call!.Source);
            Assert.Equal("1008", d.Call.Extension);
            Assert.Equal("found", d.Lookup);
            Assert.Equal("خلیلی", d.Customer!.Name);
            Assert.Equal("1403-0457", d.LastInvoice!.Number);
        });
        Assert.Equal("+982112345678", ofCall[0].Call!.NormalizedNumber);

        // Anything a repeat could have changed would be in the tracker before a later call's ring.
        await RingSentinelAsync();
        Assert.Equal([CallState.Ringing, CallState.Answered, CallState.Ended], fixture.Changes.Of(call).Select(c => c.State));
    }

    [Fact]
    public async Task An_outgoing_call_reported_from_the_outbound_route_is_outbound_to_the_dialled_customer_and_busy_is_not_answered()
    {
        await using var agent = fixture.App.CreateHubConnection(GatewayApp.ApiKey1008);
        var pushed = new List<CustomerCallDataDto>();
        agent.On<CustomerCallDataDto>("CallChanged", d => { lock (pushed) { pushed.Add(d); } });
        await agent.StartAsync();
        await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        var call = NewCallId();

        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("ringing", $"call={call}&leg={call}&channel=PJSIP%2F1008-0000002c&number=09123456789&direction=outbound&secret={Secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await GetAsync("ended", $"leg={call}&status=BUSY&secret={Secret}")).StatusCode);

        await WaitAsync(() => Snapshot(pushed).Any(d => d.Call!.Id == call && d.Call.State == "missed"));
        var ofCall = Snapshot(pushed).Where(d => d.Call!.Id == call).ToList();
        Assert.Equal(["ringing", "missed"], ofCall.Select(d => d.Call!.State));
        Assert.All(ofCall, d => Assert.Equal(("outbound", "09123456789", "found", "خلیلی"), (d.Call!.Direction, d.Call.RemoteNumber, d.Lookup, d.Customer!.Name)));
        Assert.Equal("busy", ofCall[^1].Call!.Outcome);
    }

    [Fact]
    public async Task A_direction_the_gateway_does_not_know_is_refused_with_a_problem_naming_the_field()
    {
        var response = await GetAsync("ringing", $"call=1.1&leg=1.2&channel=PJSIP%2F1008-01&number=1&direction=sideways&secret={Secret}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("direction", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_it_rings_is_a_missed_call()
    {
        var call = NewCallId();
        await PostAsync("ringing", new Dictionary<string, string>
        {
            ["call"] = call, ["leg"] = call + "1", ["channel"] = "PJSIP/1008-0000002b", ["number"] = "+989121112233", ["name"] = "NOVIN", ["secret"] = Secret,
        });
        await PostAsync("hangup", new Dictionary<string, string> { ["call"] = call, ["secret"] = Secret });

        await fixture.Changes.WaitForAsync(call, CallState.Missed);
        Assert.Equal([CallState.Ringing, CallState.Missed], fixture.Changes.Of(call).Select(c => c.State));
        Assert.Equal("NOVIN", fixture.Changes.Of(call)[0].CallerName);
    }

    [Fact]
    public async Task A_queue_legs_end_with_retry_waits_for_the_queue_to_ring_again()
    {
        var call = NewCallId();
        var first = $"call={call}&leg={call}1&channel=Local%2F1008%40queue-agents-00000001%3B1&number=09123456789&secret={Secret}";
        var second = $"call={call}&leg={call}2&channel=Local%2F1008%40queue-agents-00000002%3B1&number=09123456789&secret={Secret}";

        await GetAsync("ringing", first);
        await GetAsync("ended", $"leg={call}1&status=NOANSWER&retry=1&secret={Secret}");
        await GetAsync("ringing", second);
        await GetAsync("answered", $"leg={call}2&secret={Secret}");

        await fixture.Changes.WaitForAsync(call, CallState.Answered);
        Assert.Equal([CallState.Ringing, CallState.Answered], fixture.Changes.Of(call).Select(c => c.State));
    }

    [Fact]
    public async Task Without_the_right_secret_it_answers_401_and_nothing_is_tracked()
    {
        var call = NewCallId();

        var none = await GetAsync("ringing", $"call={call}&leg={call}1&channel=PJSIP%2F1008-0000002c&number=12345678");
        var wrong = await PostAsync("ringing", new Dictionary<string, string>
        {
            ["call"] = call, ["leg"] = call + "1", ["channel"] = "PJSIP/1008-0000002c", ["secret"] = "tests-dialplan-secret-9999",
        });

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("", await wrong.Content.ReadAsStringAsync());
        await RingSentinelAsync();
        Assert.Empty(fixture.Changes.Of(call));
    }

    [Theory]
    [InlineData("ringing", "call=1.1&channel=PJSIP%2F1008-00000001", "leg")]
    [InlineData("ringing", "call=1.1&leg=1.2&channel=PJSIP%2F1009-00000001", "channel")]
    [InlineData("ringing", "call=1.1&leg=1.2&extension=1010", "extension")]
    [InlineData("hangup", "leg=1.2", "call")]
    [InlineData("ended", "leg=not%20an%20id", "leg")]
    public async Task A_report_that_cannot_be_used_answers_400_naming_the_field(string kind, string query, string field)
    {
        using var response = await GetAsync(kind, $"{query}&secret={Secret}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_event_is_404()
    {
        using var response = await GetAsync("transferred", $"call=1.1&secret={Secret}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task RingSentinelAsync()
    {
        var sentinel = NewCallId();
        await GetAsync("ringing", $"call={sentinel}&leg={sentinel}1&extension=1008&number=09350000000&secret={Secret}");
        await fixture.Changes.WaitForAsync(sentinel, CallState.Ringing);
        await GetAsync("hangup", $"call={sentinel}&secret={Secret}");
    }

    private static List<CustomerCallDataDto> Snapshot(List<CustomerCallDataDto> list)
    {
        lock (list)
        {
            return [.. list];
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
