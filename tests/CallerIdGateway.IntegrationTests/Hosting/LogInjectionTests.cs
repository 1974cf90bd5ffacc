using System.Net;
using CallerIdGateway.IntegrationTests.Infrastructure;

namespace CallerIdGateway.IntegrationTests.Hosting;

/// <summary>What comes from outside (a caller number from ARI, AMI or a hook) cannot write lines of its own into the console log.</summary>
public class LogInjectionTests
{
    [Fact]
    public async Task A_line_break_in_a_reported_caller_number_is_escaped_instead_of_forging_a_log_line()
    {
        await using var gateway = await GatewayProcess.StartAsync(new Dictionary<string, string?>());
        using var hooks = new HttpClient { BaseAddress = gateway.BaseAddress };
        const string forged = "[07:00:00 INF] CallerIdGateway.Auth: forged";

        using var response = await hooks.PostAsync("/api/dialplan/calls/ringing", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["call"] = "1732412345.90", ["leg"] = "1732412345.91", ["channel"] = "PJSIP/1008-00000090",
            ["number"] = "09123456789\u001b[2J\r\n" + forged, // a terminal's clear-screen, then a new line
        }));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var call = await gateway.WaitForLineAsync(l => l.Contains("Call on 1008 ringing", StringComparison.OrdinalIgnoreCase), TimeSpan.FromSeconds(30));
        Assert.Contains(@"09123456789\u001b[2J\u000d\u000a" + forged, call);
        Assert.DoesNotContain(gateway.Lines, l => l.StartsWith(forged, StringComparison.Ordinal));
        Assert.DoesNotContain(gateway.Lines, l => l.Contains('\u001b'));
    }
}
