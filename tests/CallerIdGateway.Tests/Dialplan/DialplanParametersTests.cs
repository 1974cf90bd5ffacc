using CallerIdGateway.Dialplan;

namespace CallerIdGateway.Tests.Dialplan;

public class DialplanParametersTests
{
    [Theory]
    [InlineData(" 989121112233", "+989121112233")] // ?number=+98… pasted unencoded: the + was decoded as a space
    [InlineData("+989121112233", "+989121112233")] // %2B98… encoded properly
    [InlineData("09123456789", "09123456789")]
    [InlineData("0912 111 2233", "0912 111 2233")]
    [InlineData(" anonymous", "anonymous")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void A_caller_number_survives_the_usual_ways_dialplans_put_it_in_a_url(string? decoded, string? expected) =>
        Assert.Equal(expected, DialplanParameters.Number(decoded));

    [Theory]
    [InlineData("latin", CallerNameScript.Latin)]
    [InlineData("LATIN", CallerNameScript.Latin)]
    [InlineData("original", CallerNameScript.Original)]
    [InlineData("klingon", null)]
    [InlineData("1", null)]
    [InlineData(null, null)]
    public void An_unknown_script_falls_back_to_the_configured_default(string? value, CallerNameScript? expected) =>
        Assert.Equal(expected, DialplanParameters.Script(value));

    [Theory]
    [InlineData("16", 16)]
    [InlineData("0", null)]
    [InlineData("201", null)]
    [InlineData("x", null)]
    public void A_length_cap_outside_1_to_200_falls_back_to_the_configured_default(string value, int? expected) =>
        Assert.Equal(expected, DialplanParameters.MaxLength(value));
}
