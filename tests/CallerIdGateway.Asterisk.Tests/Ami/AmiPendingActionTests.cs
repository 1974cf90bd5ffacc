using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiPendingActionTests
{
    private static AmiMessage Message(params (string Key, string Value)[] headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Key, h.Value)));

    [Fact]
    public async Task A_plain_action_completes_with_its_response()
    {
        var pending = new AmiPendingAction("Ping", isEventList: false);
        var pong = Message(("Response", "Success"), ("ActionID", "cig-1"), ("Ping", "Pong"));

        Assert.True(pending.Accept(pong));
        Assert.Same(pong, Assert.Single(await pending.Completion));
    }

    [Fact]
    public async Task An_error_response_fails_the_action_with_its_message()
    {
        var pending = new AmiPendingAction("CoreShowChannels", isEventList: true);

        Assert.True(pending.Accept(Message(("Response", "Error"), ("ActionID", "cig-2"), ("Message", "Permission denied"))));

        var error = await Assert.ThrowsAsync<AmiActionException>(() => pending.Completion);
        Assert.Contains("Permission denied", error.Message);
        Assert.Equal("CoreShowChannels", error.ActionName);
    }

    [Fact]
    public async Task An_event_list_collects_its_items_until_EventList_Complete()
    {
        var pending = new AmiPendingAction("CoreShowChannels", isEventList: true);

        Assert.False(pending.Accept(Message(("Response", "Success"), ("EventList", "start"), ("Message", "Channels will follow"))));
        Assert.False(pending.Accept(Message(("Event", "CoreShowChannel"), ("Channel", "PJSIP/provider-00000000"))));
        Assert.False(pending.Accept(Message(("Event", "CoreShowChannel"), ("Channel", "PJSIP/1008-00000001"))));
        Assert.True(pending.Accept(Message(("Event", "CoreShowChannelsComplete"), ("EventList", "Complete"), ("ListItems", "2"))));

        Assert.Equal(["PJSIP/provider-00000000", "PJSIP/1008-00000001"], (await pending.Completion).Select(m => m["Channel"]));
    }

    [Fact]
    public async Task An_event_list_answered_without_a_list_is_empty()
    {
        var pending = new AmiPendingAction("CoreShowChannels", isEventList: true);

        Assert.True(pending.Accept(Message(("Response", "Success"), ("Message", "Nothing"))));
        Assert.Empty(await pending.Completion);
    }

    [Fact]
    public void The_md5_login_key_is_the_lowercase_hex_md5_of_challenge_and_secret()
    {
        Assert.Equal("3bd9d03cd6aa80e9573000b9e7e38ad3", AmiSession.Md5Key("843679126", "gatewaysecret"));
    }

    [Fact]
    public async Task An_async_originate_completes_with_its_OriginateResponse_after_the_queued_response()
    {
        var pending = new AmiPendingAction("Originate", isEventList: false, completionEvent: "OriginateResponse");
        var queued = Message(("Response", "Success"), ("ActionID", "cig-4"), ("Message", "Originate successfully queued"));
        var outcome = Message(("Event", "OriginateResponse"), ("ActionID", "cig-4"), ("Response", "Success"), ("Uniqueid", "1796176584.32"));

        Assert.False(pending.Accept(queued));
        Assert.False(pending.Completion.IsCompleted);
        Assert.True(pending.Accept(outcome));
        Assert.Equal([queued, outcome], await pending.Completion);
    }

    [Fact]
    public async Task An_OriginateResponse_that_overtakes_the_queued_response_still_completes_the_action()
    {
        var pending = new AmiPendingAction("Originate", isEventList: false, completionEvent: "OriginateResponse");
        var outcome = Message(("Event", "OriginateResponse"), ("ActionID", "cig-5"), ("Response", "Failure"), ("Reason", "0"));
        var queued = Message(("Response", "Success"), ("ActionID", "cig-5"), ("Message", "Originate successfully queued"));

        Assert.False(pending.Accept(outcome));
        Assert.True(pending.Accept(queued));
        Assert.Same(outcome, (await pending.Completion)[1]);
    }

    [Fact]
    public async Task A_refused_originate_fails_without_waiting_for_an_event()
    {
        var pending = new AmiPendingAction("Originate", isEventList: false, completionEvent: "OriginateResponse");

        Assert.True(pending.Accept(Message(("Response", "Error"), ("ActionID", "cig-6"), ("Message", "Permission denied"))));

        Assert.Contains("Permission denied", (await Assert.ThrowsAsync<AmiActionException>(() => pending.Completion)).Message);
    }
}
