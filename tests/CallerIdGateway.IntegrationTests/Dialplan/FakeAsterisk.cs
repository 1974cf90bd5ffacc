using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>Asterisk's side of a FastAGI session (res_agi): the <c>agi_*</c> header, an empty line, then <c>200 result=1</c> for each command.</summary>
public static class FakeAsterisk
{
    /// <summary>
    /// Runs <c>AGI(agi://…/{script})</c> for a caller from <paramref name="from"/> (any 127.x.y.z; default
    /// 127.0.0.1) and returns the commands the server sent, each answered <c>200 result=1</c>.
    /// </summary>
    public static async Task<List<string>> CallAsync(IPEndPoint endPoint, string script, string callerId, int callingPres = 0, IPAddress? from = null)
    {
        using var asterisk = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0));
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
}
