using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiMessageTests
{
    private static AmiMessage Message(params (string Key, string Value)[] headers) =>
        new(headers.Select(h => KeyValuePair.Create(h.Key, h.Value)));

    [Fact]
    public void Lookup_ignores_case_and_returns_the_first_value()
    {
        var message = Message(("Event", "Newchannel"), ("ChanVariable", "a=1"), ("ChanVariable", "b=2"));

        Assert.Equal("a=1", message["chanvariable"]);
        Assert.Equal(["a=1", "b=2"], message.GetAll("CHANVARIABLE"));
        Assert.Null(message["Cause"]);
        Assert.Empty(message.GetAll("Cause"));
    }

    [Fact]
    public void An_event_has_a_name_and_is_not_a_response()
    {
        var message = Message(("Event", "CoreShowChannel"), ("ActionID", "cig-7"));

        Assert.Equal("CoreShowChannel", message.EventName);
        Assert.False(message.IsResponse);
        Assert.Equal("cig-7", message.ActionId);
    }

    [Fact]
    public void A_response_is_a_response_without_an_event_name()
    {
        var message = Message(("Response", "Error"), ("Message", "Permission denied"));

        Assert.True(message.IsResponse);
        Assert.Equal("Error", message.Response);
        Assert.Null(message.EventName);
    }

    [Fact]
    public void OriginateResponse_is_an_event_although_it_carries_a_Response_header()
    {
        // As Asterisk 16 and 22 send it (fixtures: click-to-call-ami).
        var message = Message(("Event", "OriginateResponse"), ("Privilege", "call,all"), ("ActionID", "c2c-ami-1"), ("Response", "Success"), ("Channel", "SIP/1008-00000010"));

        Assert.False(message.IsResponse);
        Assert.Equal("OriginateResponse", message.EventName);
        Assert.Equal("Success", message.Response);
    }

    [Fact]
    public void Headers_enumerate_in_wire_order_and_print_in_wire_form()
    {
        var message = Message(("Event", "Hangup"), ("Cause", "16"), ("AccountCode", ""));

        Assert.Equal(["Event", "Cause", "AccountCode"], message.Select(h => h.Key));
        Assert.Equal("Event: Hangup\r\nCause: 16\r\nAccountCode: \r\n", message.ToString());
    }
}
