using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Sources;

public class DialStringsTests
{
    [Theory]
    [InlineData("09123456789@provider", "09123456789")]   // PJSIP (22 outbound capture)
    [InlineData("provider/09123456789", "09123456789")]   // chan_sip (16 outbound capture)
    [InlineData("SIP/09123456789@provider", "09123456789")]
    [InlineData("1008", "1008")]
    [InlineData("PJSIP/1008&PJSIP/1009", "1008")]
    [InlineData("+982112345678@trunk", "+982112345678")]
    [InlineData("PJSIP/provider", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_dialled_number_is_read_whatever_the_drivers_syntax(string? dialString, string? number) =>
        Assert.Equal(number, DialStrings.Number(dialString));
}
