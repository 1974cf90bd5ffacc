using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.CallControl;

/// <summary>
/// Call control over AMI against the recorded actions of Asterisk 22 and 16: the test AMI server answers
/// only the exact recorded action (headers in order, ActionID aside) and then replays what it caused.
/// </summary>
public class AmiCallControlTests
{
    public static TheoryData<string> Versions => [AsteriskFixtures.Pjsip22, AsteriskFixtures.ChanSip16];

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Click_to_call_sends_the_recorded_Originate_with_the_customer_as_caller_id_and_answers_the_call_id(string version)
    {
        var capture = TestAmiControlCapture.Load(version, "click-to-call-ami");
        await using var gateway = await CallControlGateway.OverAmiAsync(capture, settings: new Dictionary<string, string?>
        {
            // The capture's caller ID is the ASCII name; chan_sip's endpoints are SIP/….
            ["CallControl:CallerIdScript"] = "Latin",
            ["CallControl:EndpointTemplate"] = version == AsteriskFixtures.ChanSip16 ? "SIP/{extension}" : "PJSIP/{extension}",
        });

        var response = await gateway.Agent1008.PostAsync("/api/calls/originate", CallControlGateway.Json(new { extension = "1008", number = "۰۹۱۲ ۳۴۵ ۶۷۸۹" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var uniqueId = capture.Answers[1].Split("\r\n").Single(l => l.StartsWith("Uniqueid: ", StringComparison.Ordinal))["Uniqueid: ".Length..];
        Assert.Equal(uniqueId, body.GetProperty("callId").GetString());
        Assert.Equal("1008", body.GetProperty("extension").GetString());
        var sent = Assert.Single(gateway.Ami!.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] == "Originate");
        Assert.Equal(capture.Headers, TestAmiControlCapture.WithoutActionId(sent));
        Assert.DoesNotContain(gateway.Ami.ActionsOf(gateway.Ami.Username), a => a["Action"] == "Originate");
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Hanging_up_a_ringing_call_sends_the_recorded_Hangup_of_the_extensions_channel_and_the_call_is_missed(string version)
    {
        var capture = TestAmiControlCapture.Load(version, "hangup-ami");
        await using var gateway = await CallControlGateway.OverAmiAsync(capture);
        await gateway.Ami!.SendRawAsync(capture.BeforeAction);
        var callId = await gateway.WaitForCallAsync("1008", CallState.Ringing);

        var response = await gateway.Agent1008.PostAsync($"/api/calls/{callId}/hangup", CallControlGateway.Json(new { extension = "1008" }));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var sent = Assert.Single(gateway.Ami.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] == "Hangup");
        Assert.Equal(capture.Headers, TestAmiControlCapture.WithoutActionId(sent));
        await gateway.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.Extension == "1008" && d.Call.State == CallState.Missed));
        // Who asked, by the key's name; never the key.
        var logged = Assert.Single(gateway.Log.Lines, l => l.Contains(" hung up call ", StringComparison.Ordinal));
        Assert.Contains($"desk-1008 (ApiKey)\" hung up call \"{callId}\" on \"1008\" (\"{capture.Action["Channel"]}\"", logged);
        Assert.DoesNotContain(Infrastructure.GatewayApp.ApiKey1008, string.Join("\n", gateway.Log.Lines));
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Transferring_an_answered_call_sends_the_recorded_BlindTransfer_and_1009_takes_the_call(string version)
    {
        var capture = TestAmiControlCapture.Load(version, "redirect-ami");
        await using var gateway = await CallControlGateway.OverAmiAsync(capture);
        await gateway.Ami!.SendRawAsync(capture.BeforeAction);
        var callId = await gateway.WaitForCallAsync("1008", CallState.Answered);

        var response = await gateway.Agent1008.PostAsync($"/api/calls/{callId}/transfer", CallControlGateway.Json(new { extension = "1008", to = "1009" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(callId, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString());
        var sent = Assert.Single(gateway.Ami.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] == "BlindTransfer");
        Assert.Equal(capture.Headers, TestAmiControlCapture.WithoutActionId(sent));
        await gateway.Calls.WaitUntilAsync(p =>
            p.Any(d => d.Call!.Extension == "1008" && d.Call.State == CallState.Ended) && p.Any(d => d.Call!.Extension == "1009" && d.Call.State == CallState.Answered));
    }

    [Fact]
    public async Task A_ringing_call_cannot_be_transferred_and_nothing_reaches_the_pbx()
    {
        var capture = TestAmiControlCapture.Load(AsteriskFixtures.Pjsip22, "hangup-ami");
        await using var gateway = await CallControlGateway.OverAmiAsync(capture);
        await gateway.Ami!.SendRawAsync(capture.BeforeAction);
        var callId = await gateway.WaitForCallAsync("1008", CallState.Ringing);

        var response = await gateway.Agent1008.PostAsync($"/api/calls/{callId}/transfer", CallControlGateway.Json(new { extension = "1008", to = "1009" }));

        await AssertProblemAsync(response, HttpStatusCode.Conflict, "is ringing on 1008");
        Assert.DoesNotContain(gateway.Ami.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] is "BlindTransfer" or "Redirect");
    }

    [Fact]
    public async Task An_agent_may_act_only_on_calls_of_extensions_they_may_see_and_only_on_known_calls()
    {
        var capture = TestAmiControlCapture.Load(AsteriskFixtures.Pjsip22, "hangup-ami");
        await using var gateway = await CallControlGateway.OverAmiAsync(capture);
        await gateway.Ami!.SendRawAsync(capture.BeforeAction);
        var callId = await gateway.WaitForCallAsync("1008", CallState.Ringing);

        await AssertProblemAsync(await gateway.Agent1009.PostAsync($"/api/calls/{callId}/hangup", CallControlGateway.Json(new { extension = "1008" })),
            HttpStatusCode.Forbidden, "1008");
        await AssertProblemAsync(await gateway.Agent1009.PostAsync("/api/calls/originate", CallControlGateway.Json(new { extension = "1008", number = "09123456789" })),
            HttpStatusCode.Forbidden, "1008");
        await AssertProblemAsync(await gateway.Agent1009.PostAsync($"/api/calls/{callId}/transfer", CallControlGateway.Json(new { extension = "1008", to = "1009" })),
            HttpStatusCode.Forbidden, "1008");
        // The call exists, but not on 1009; and a call id nobody knows.
        await AssertProblemAsync(await gateway.Agent1009.PostAsync($"/api/calls/{callId}/hangup", CallControlGateway.Json(new { extension = "1009" })),
            HttpStatusCode.NotFound, callId);
        await AssertProblemAsync(await gateway.Agent1008.PostAsync("/api/calls/1796000000.1/hangup", CallControlGateway.Json(new { extension = "1008" })),
            HttpStatusCode.NotFound, "1796000000.1");

        Assert.DoesNotContain(gateway.Ami.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] is "Hangup" or "Originate" or "BlindTransfer");
        Assert.Contains(gateway.App.Get<LiveCalls>().Active, d => d.Call!.Id == callId && d.Call.State == CallState.Ringing);
    }

    [Theory]
    [InlineData("/api/calls/originate", """{"extension":"1008","number":"call me"}""", "number")]
    [InlineData("/api/calls/originate", """{"number":"09123456789"}""", "extension")]
    [InlineData("/api/calls/originate", """{"extension":"1008\r\nAction: Originate","number":"09123456789"}""", "extension")]
    [InlineData("/api/calls/1796176560.1/hangup", """{"extension":""}""", "extension")]
    [InlineData("/api/calls/1796176560.1/transfer", """{"extension":"1008","to":"1008"}""", "to")]
    [InlineData("/api/calls/1796176560.1/transfer", """{"extension":"1008","to":"*1009; hangup"}""", "to")]
    public async Task A_bad_body_is_a_400_saying_what_is_wrong(string path, string json, string field)
    {
        await using var gateway = await CallControlGateway.OverAmiAsync(capture: null);

        var response = await gateway.Supervisor.PostAsync(path, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _) || problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)),
            problem.ToString());
        Assert.DoesNotContain(gateway.Ami!.ActionsOf(CallControlGateway.ControlUser), a => a["Action"] is "Originate" or "Hangup" or "BlindTransfer");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400()
    {
        await using var gateway = await CallControlGateway.OverAmiAsync(capture: null);

        var response = await gateway.Supervisor.PostAsync("/api/calls/originate", new StringContent("{extension:", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task With_call_control_off_every_action_is_a_409_and_no_control_session_is_opened()
    {
        await using var gateway = await CallControlGateway.OverAmiAsync(capture: null, control: false);

        await AssertProblemAsync(await gateway.Agent1008.PostAsync("/api/calls/originate", CallControlGateway.Json(new { extension = "1008", number = "09123456789" })),
            HttpStatusCode.Conflict, "CallControl:Enabled");
        await AssertProblemAsync(await gateway.Agent1008.PostAsync("/api/calls/1796176560.1/hangup", CallControlGateway.Json(new { extension = "1008" })),
            HttpStatusCode.Conflict, "CallControl:Enabled");
        await AssertProblemAsync(await gateway.Agent1008.PostAsync("/api/calls/1796176560.1/transfer", CallControlGateway.Json(new { extension = "1008", to = "1009" })),
            HttpStatusCode.Conflict, "CallControl:Enabled");

        Assert.Empty(gateway.Ami!.ActionsOf(CallControlGateway.ControlUser));
        Assert.DoesNotContain(gateway.Ami.ReceivedActions, a => a["Action"] is "Originate" or "Hangup" or "BlindTransfer");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_dashboard_is_told_whether_call_control_is_on(bool control)
    {
        await using var gateway = await CallControlGateway.OverAmiAsync(capture: null, control: control);

        var settings = JsonDocument.Parse(await gateway.Agent1008.GetStringAsync("/api/dashboard/settings")).RootElement;

        // The dashboard offers click-to-call through the PBX only when this says so (and no browser phone is registered).
        Assert.Equal(control, settings.GetProperty("callControl").GetBoolean());
    }

    internal static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(detailContains, JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString());
    }
}
