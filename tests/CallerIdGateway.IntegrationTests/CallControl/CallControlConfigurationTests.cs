using CallerIdGateway.IntegrationTests.Hosting;
using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.CallControl;

public class CallControlConfigurationTests
{
    [Theory]
    [InlineData("CallControl:Ami:Secret", "CallControl:Enabled", "true")]
    [InlineData("CallControl:Ari:Password", "CallControl:Source", "Ari")]
    [InlineData("CallControl:Source", "CallControl:Source", "Sip")]
    [InlineData("CallControl:EndpointTemplate", "CallControl:EndpointTemplate", "PJSIP/1008")]
    [InlineData("CallControl:Context", "CallControl:Context", "from internal")]
    [InlineData("CallControl:RingTimeout", "CallControl:RingTimeout", "00:00:00")]
    public async Task A_wrong_call_control_setting_stops_the_start_naming_the_key(string named, string key, string value)
    {
        var settings = new Dictionary<string, string?> { ["CallControl:Enabled"] = "true", [key] = value };

        var exit = await GatewayProcess.RunUntilExitAsync(settings);

        ConfigurationTests.AssertStoppedNaming(named, exit);
    }
}
