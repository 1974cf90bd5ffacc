using CallerIdGateway.CallControl;

namespace CallerIdGateway.Tests.CallControl;

public class DialStringTests
{
    [Theory]
    [InlineData("09123456789", "09123456789")]
    [InlineData("۰۹۱۲ ۳۴۵ ۶۷۸۹", "09123456789")]
    [InlineData("0912-345-6789", "09123456789")]
    [InlineData("(021) 1234.5678", "02112345678")]
    [InlineData("+98 912 345 6789", "+989123456789")]
    [InlineData("1009", "1009")]
    [InlineData("*72", "*72")]
    public void A_number_as_written_becomes_what_the_dialplan_matches(string input, string expected)
    {
        Assert.True(DialString.TryClean(input, out var dial));
        Assert.Equal(expected, dial);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("+")]
    [InlineData("0912+3456789")]
    [InlineData("sip:1008@pbx")]
    [InlineData("09123456789\r\nAction: Originate")]
    [InlineData("1009&PJSIP/1010")]
    [InlineData("123456789012345678901234567890123")]
    public void Anything_a_dialplan_could_not_match_is_refused(string input) =>
        Assert.False(DialString.TryClean(input, out _));
}
