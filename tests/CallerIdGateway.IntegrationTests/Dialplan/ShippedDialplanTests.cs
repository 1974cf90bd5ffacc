using System.Net;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// asterisk-config/extensions.conf with <c>GATEWAY_CALL_HOOK = yes</c>, as a hook-only PBX runs it:
/// the requests are the ones its routines make (<see cref="ShippedDialplan"/>), so a change of the
/// dialplan changes what this test sends.
/// </summary>
public class ShippedDialplanTests(DialplanGatewayFixture fixture) : IClassFixture<DialplanGatewayFixture>
{
    private ShippedDialplan Dialplan => ShippedDialplan.Load(new Dictionary<string, string>
    {
        ["GATEWAY_URL"] = fixture.App.BaseAddress.ToString().TrimEnd('/'),
        ["GATEWAY_SECRET"] = DialplanGatewayFixture.Secret,
        ["GATEWAY_CALL_HOOK"] = "yes",
    });

    [Fact]
    public async Task A_call_the_shipped_dialplan_reports_rings_is_answered_and_ends_on_the_agents_screen()
    {
        await using var agent = fixture.App.CreateHubConnection(GatewayApp.ApiKey1008);
        var pushed = new List<CustomerCallDataDto>();
        agent.On<CustomerCallDataDto>("CallChanged", d => { lock (pushed) { pushed.Add(d); } });
        await agent.StartAsync();
        await agent.InvokeAsync<string[]>("Subscribe", new[] { "1008" });
        var (caller, leg) = NewCall("12345678");
        var dialplan = Dialplan;
        var preDial = dialplan.PreDial("1008");

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(preDial, leg)));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(dialplan.Answered("1008"), leg)));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(dialplan.HangupHandlerOf(preDial), leg with { HangupCause = "16" })));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(dialplan.HangupHandlerOf(dialplan.Inbound("1008")), caller with { HangupCause = "16" })));

        await WaitAsync(() => Snapshot(pushed).Any(d => d.Call!.Id == caller.UniqueId && d.Call.State == "ended"));
        var cards = Snapshot(pushed).Where(d => d.Call!.Id == caller.UniqueId).ToList();
        Assert.Equal(["ringing", "answered", "ended"], cards.Select(d => d.Call!.State));
        Assert.All(cards, d =>
        {
            Assert.Equal("hook", d.Call!.Source);
            Assert.Equal("1008", d.Call.Extension);
            Assert.Equal("found", d.Lookup);
            Assert.Equal("خلیلی", d.Customer!.Name);
        });
    }

    [Fact]
    public async Task A_caller_who_hangs_up_while_the_shipped_dialplan_rings_the_agent_is_a_missed_call()
    {
        var (caller, leg) = NewCall("09123456789");
        var dialplan = Dialplan;
        var preDial = dialplan.PreDial("1008");

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(preDial, leg)));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(dialplan.HangupHandlerOf(dialplan.Inbound("1008")), caller with { HangupCause = "16" })));
        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(dialplan.Request(dialplan.HangupHandlerOf(preDial), leg with { HangupCause = "0" })));

        await fixture.Changes.WaitForAsync(caller.UniqueId, CallState.Missed);
        Assert.Equal([CallState.Ringing, CallState.Missed], fixture.Changes.Of(caller.UniqueId).Select(c => c.State));
    }

    /// <summary>The caller's channel from the trunk and the leg Dial makes toward 1008, as [gateway-inbound] leaves them.</summary>
    private static (ShippedDialplan.Channel Caller, ShippedDialplan.Channel Leg) NewCall(string number)
    {
        var id = $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Random.Shared.Next(1_000, 1_000_000)}";
        var inherited = new Dictionary<string, string> { ["GATEWAY_CALLER_NUM"] = number, ["GATEWAY_CALLER_NAME"] = "" };
        var caller = new ShippedDialplan.Channel("PJSIP/provider-00000031", id, id, inherited);
        var leg = new ShippedDialplan.Channel("PJSIP/1008-00000032", id + "1", id, inherited);
        return (caller, leg);
    }

    private async Task<HttpStatusCode> SendAsync(HttpRequestMessage request)
    {
        using (request)
        using (var response = await fixture.Dialplan.SendAsync(request))
        {
            return response.StatusCode;
        }
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
