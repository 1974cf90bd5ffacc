using System.Buffers;
using System.Text;
using CallerIdGateway.Dialplan.FastAgi;

namespace CallerIdGateway.Tests.Dialplan;

public class AgiProtocolTests
{
    // As res_agi sends it for AGI(agi://127.0.0.1:4573/callerid?script=latin,x) on a PJSIP call.
    private static readonly string[] Header =
    [
        "agi_network: yes",
        "agi_network_script: callerid?script=latin&secret=s3cret",
        "agi_request: agi://127.0.0.1:4573/callerid?script=latin&secret=s3cret",
        "agi_channel: PJSIP/provider-00000008",
        "agi_language: en",
        "agi_type: PJSIP",
        "agi_uniqueid: 1732412345.40",
        "agi_version: 22.10.1",
        "agi_callerid: +989121112233",
        "agi_calleridname: unknown",
        "agi_callingpres: 0",
        "agi_context: from-pstn",
        "agi_extension: 1008",
        "agi_priority: 3",
        "agi_arg_1: x",
    ];

    [Fact]
    public void The_request_header_gives_the_script_its_query_and_the_caller()
    {
        var request = AgiRequest.Parse(Header);

        Assert.Equal("callerid", request.Script);
        Assert.Equal("latin", request.Query["script"]);
        Assert.Equal("s3cret", request.Query["secret"]);
        Assert.Equal("+989121112233", request.CallerNumber);
        Assert.Equal("1732412345.40", request.UniqueId);
        Assert.Equal("x", request.Get("agi_arg_1"));
        Assert.False(request.IsNumberWithheld);
    }

    [Theory]
    [InlineData("0", false)]   // allowed_not_screened
    [InlineData("1", false)]   // allowed_passed_screen
    [InlineData("32", true)]   // prohib_not_screened: a P-Asserted-Identity with Privacy: id
    [InlineData("35", true)]   // prohib
    [InlineData("67", true)]   // unavailable
    [InlineData("", false)]
    public void A_restricted_presentation_means_the_number_is_withheld(string presentation, bool withheld) =>
        Assert.Equal(withheld, AgiRequest.Parse([$"agi_callingpres: {presentation}"]).IsNumberWithheld);

    [Fact]
    public void A_script_without_a_query_has_an_empty_one()
    {
        var request = AgiRequest.Parse(["agi_network_script: callerid"]);

        Assert.Equal("callerid", request.Script);
        Assert.Empty(request.Query);
    }

    [Fact]
    public void Lines_are_split_on_lf_with_an_optional_cr_and_decoded_as_utf8()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes("agi_calleridname: خلیلی\r\nagi_callerid: 1\npartial"));

        Assert.True(AgiLines.TryRead(ref buffer, out var first));
        Assert.True(AgiLines.TryRead(ref buffer, out var second));
        Assert.False(AgiLines.TryRead(ref buffer, out _));
        Assert.Equal("agi_calleridname: خلیلی", first);
        Assert.Equal("agi_callerid: 1", second);
        Assert.Equal("partial", Encoding.UTF8.GetString(buffer));
    }

    [Theory]
    [InlineData("Khalili", "SET VARIABLE CALLERID(name) \"Khalili\"\n")]
    [InlineData("شرکت \"نوین\"", "SET VARIABLE CALLERID(name) \"شرکت \\\"نوین\\\"\"\n")]
    [InlineData("a\\b\r\nc", "SET VARIABLE CALLERID(name) \"a\\\\b  c\"\n")]
    public void Values_are_quoted_and_escaped_as_res_agi_parses_them(string value, string command) =>
        Assert.Equal(command, AgiCommand.SetVariable("CALLERID(name)", value));

    [Theory]
    [InlineData("200 result=1", 200, "1")]
    [InlineData("200 result=0 (timeout)", 200, "0")]
    [InlineData("510 Invalid or unknown command", 510, "")]
    [InlineData("511 Command Not Permitted on a dead channel or intercept routine", 511, "")]
    [InlineData("HANGUP", 0, "HANGUP")]
    public void Replies_are_read_as_code_and_result(string line, int code, string result) =>
        Assert.Equal((code, result), AgiCommand.ParseReply(line));
}
