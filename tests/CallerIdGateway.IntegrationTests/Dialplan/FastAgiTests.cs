using CallerIdGateway.Dialplan.FastAgi;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// <c>AGI(agi://gateway:4573/callerid)</c> against the real server, with a fake Asterisk that speaks
/// res_agi's side: the <c>agi_*</c> header, an empty line, then <c>200 result=1</c> for each command.
/// </summary>
public class FastAgiTests(DialplanGatewayFixture fixture) : IClassFixture<DialplanGatewayFixture>
{
    private const string Secret = DialplanGatewayFixture.Secret;

    private Task<List<string>> CallAsync(string script, string callerId, int callingPres = 0) =>
        FakeAsterisk.CallAsync(fixture.App.Get<FastAgiServer>().LocalEndPoint!, script, callerId, callingPres);

    [Fact]
    public async Task A_known_caller_gets_the_customer_in_channel_variables_and_the_name_on_the_display()
    {
        var commands = await CallAsync($"callerid?script=latin&secret={Secret}", "09123456789");

        Assert.Equal(
        [
            "SET VARIABLE LOOKUP \"found\"",
            "SET VARIABLE CUSTOMER_ID \"1\"",
            "SET VARIABLE CUSTOMER_NAME \"خلیلی\"",
            "SET VARIABLE CALLERID(name) \"Khalili\"",
        ], commands);
    }

    [Fact]
    public async Task An_unknown_caller_gets_the_status_and_no_name()
    {
        var commands = await CallAsync($"callerid?secret={Secret}", "09350000001");

        Assert.Equal(["SET VARIABLE LOOKUP \"notFound\"", "SET VARIABLE CUSTOMER_ID \"\"", "SET VARIABLE CUSTOMER_NAME \"\""], commands);
    }

    [Fact]
    public async Task A_withheld_number_is_not_looked_up_even_when_the_trunk_passed_the_real_one()
    {
        // anonymous-with-P-Asserted-Identity: the real number in agi_callerid, presentation prohib_not_screened (32).
        var commands = await CallAsync($"callerid?secret={Secret}", "+989121112233", callingPres: 32);

        Assert.Equal(["SET VARIABLE LOOKUP \"noNumber\"", "SET VARIABLE CUSTOMER_ID \"\"", "SET VARIABLE CUSTOMER_NAME \"\""], commands);
    }

    [Theory]
    [InlineData("callerid")]
    [InlineData("callerid?secret=tests-dialplan-secret-9999")]
    [InlineData("somethingelse?secret=" + Secret)]
    public async Task Without_the_secret_or_for_another_script_the_server_hangs_up_without_a_command(string script) =>
        Assert.Empty(await CallAsync(script, "09123456789"));
}
