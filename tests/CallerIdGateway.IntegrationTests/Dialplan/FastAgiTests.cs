using System.Net.Sockets;
using System.Text;
using CallerIdGateway.Dialplan.FastAgi;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// <c>AGI(agi://gateway:4573/callerid)</c> against the real server, with a fake Asterisk that speaks
/// res_agi's side: the <c>agi_*</c> header, an empty line, then <c>200 result=1</c> for each command.
/// </summary>
public class FastAgiTests(DialplanGatewayFixture fixture) : IClassFixture<DialplanGatewayFixture>
{
    private const string Secret = DialplanGatewayFixture.Secret;

    private async Task<List<string>> CallAsync(string script, string callerId, int callingPres = 0)
    {
        var endPoint = fixture.App.Get<FastAgiServer>().LocalEndPoint!;
        using var asterisk = new TcpClient();
        await asterisk.ConnectAsync(endPoint.Address, endPoint.Port);
        var stream = asterisk.GetStream();
        var header = $"""
            agi_network: yes
            agi_network_script: {script}
            agi_request: agi://{endPoint}/{script}
            agi_channel: PJSIP/provider-00000008
            agi_language: en
            agi_type: PJSIP
            agi_uniqueid: 1732412345.40
            agi_version: 22.10.1
            agi_callerid: {callerId}
            agi_calleridname: unknown
            agi_callingpres: {callingPres}
            agi_callingani2: 0
            agi_callington: 0
            agi_callingtns: 0
            agi_dnid: 1008
            agi_rdnis: unknown
            agi_context: from-pstn
            agi_extension: 1008
            agi_priority: 4
            agi_enhanced: 0.0
            agi_accountcode: 
            agi_threadid: 140093227181760


            """.Replace("\r\n", "\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(header));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var commands = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (await reader.ReadLineAsync(timeout.Token) is { } command)
        {
            commands.Add(command);
            await stream.WriteAsync("200 result=1\n"u8.ToArray(), timeout.Token);
        }
        return commands; // the server hangs up when it is done, as FastAGI servers do
    }

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
