using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallerIdGateway.Calls;
using CallerIdGateway.IntegrationTests.TestAsterisk;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.CallControl;

/// <summary>
/// Call control over ARI against the recorded requests of Asterisk 22: the test ARI server answers only
/// the exact recorded request (method, path, query byte for byte) and then sends the frames it caused.
/// </summary>
public class AriCallControlTests
{
    [Fact]
    public async Task Click_to_call_sends_the_recorded_POST_channels_as_the_control_user_and_answers_the_new_channels_id()
    {
        var capture = TestAriControlCapture.Load(AsteriskFixtures.Pjsip22, "click-to-call-ari");
        await using var gateway = await CallControlGateway.OverAriAsync(capture);

        var response = await gateway.Agent1008.PostAsync("/api/calls/originate", CallControlGateway.Json(new { extension = "1008", number = "09123456789" }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("1796176520.21", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString());
        var sent = Assert.Single(gateway.Ari!.ControlRequests);
        Assert.Equal(new TestAriControlRequest(CallControlGateway.ControlUser, "POST", capture.PathAndQuery, ""), sent);
    }

    [Fact]
    public async Task Hanging_up_a_ringing_call_sends_the_recorded_DELETE_of_the_extensions_channel_and_the_call_is_missed()
    {
        var capture = TestAriControlCapture.Load(AsteriskFixtures.Pjsip22, "hangup-ari");
        await using var gateway = await CallControlGateway.OverAriAsync(capture);
        foreach (var frame in capture.BeforeRequest)
        {
            await gateway.Ari!.SendFrameAsync(frame);
        }
        var callId = await gateway.WaitForCallAsync("1008", CallState.Ringing);

        var response = await gateway.Agent1008.PostAsync($"/api/calls/{callId}/hangup", CallControlGateway.Json(new { extension = "1008" }));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(new TestAriControlRequest(CallControlGateway.ControlUser, "DELETE", capture.PathAndQuery, ""), Assert.Single(gateway.Ari!.ControlRequests));
        await gateway.Calls.WaitUntilAsync(p => p.Any(d => d.Call!.Extension == "1008" && d.Call.State == CallState.Missed));
    }

    [Fact]
    public async Task Transfer_through_ari_is_a_409_that_says_why_and_sends_nothing()
    {
        var capture = TestAriControlCapture.Load(AsteriskFixtures.Pjsip22, "hangup-ari");
        await using var gateway = await CallControlGateway.OverAriAsync(capture);
        foreach (var frame in capture.BeforeRequest)
        {
            await gateway.Ari!.SendFrameAsync(frame);
        }
        var callId = await gateway.WaitForCallAsync("1008", CallState.Ringing);

        var response = await gateway.Agent1008.PostAsync($"/api/calls/{callId}/transfer", CallControlGateway.Json(new { extension = "1008", to = "1009" }));

        await AmiCallControlTests.AssertProblemAsync(response, HttpStatusCode.Conflict, "Stasis");
        Assert.Empty(gateway.Ari!.ControlRequests);
    }
}
