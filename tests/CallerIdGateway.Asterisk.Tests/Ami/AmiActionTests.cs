using System.Text;
using CallerIdGateway.Asterisk.Ami;

namespace CallerIdGateway.Asterisk.Tests.Ami;

public class AmiActionTests
{
    [Fact]
    public void Serializes_the_action_its_ActionID_and_headers_ended_by_an_empty_line()
    {
        var action = new AmiAction("Originate").Add("Channel", "PJSIP/1008").Add("Variable", "a=1").Add("Variable", "b=2");

        var wire = Encoding.UTF8.GetString(action.Serialize("cig-3"));

        Assert.Equal("Action: Originate\r\nActionID: cig-3\r\nChannel: PJSIP/1008\r\nVariable: a=1\r\nVariable: b=2\r\n\r\n", wire);
    }

    [Theory]
    [InlineData("x\r\nAction: Originate")]
    [InlineData("x\ny")]
    public void Refuses_line_breaks_that_would_smuggle_in_headers(string value)
    {
        Assert.Throws<ArgumentException>(() => new AmiAction("Ping").Add("Note", value));
    }

    [Theory]
    [InlineData("ActionID")]
    [InlineData("action")]
    public void Refuses_the_headers_the_connection_writes_itself(string key)
    {
        Assert.Throws<ArgumentException>(() => new AmiAction("Ping").Add(key, "1"));
    }

    [Fact]
    public void ToString_masks_the_secret_and_the_md5_key()
    {
        var text = new AmiAction("Login").Add("Username", "gateway").Add("Secret", "s3cr3t").Add("Key", "abcdef").ToString();

        Assert.Contains("gateway", text);
        Assert.DoesNotContain("s3cr3t", text);
        Assert.DoesNotContain("abcdef", text);
    }
}
