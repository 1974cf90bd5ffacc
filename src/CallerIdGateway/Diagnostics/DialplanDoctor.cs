using System.Net;
using CallerIdGateway.Dialplan;

namespace CallerIdGateway.Diagnostics;

/// <summary>The dialplan hooks: who may call them, and whether a secret guards them when more than this host may.</summary>
internal static class DialplanDoctor
{
    public static void Check(DoctorReport report, DialplanOptions options)
    {
        if (!options.Enabled)
        {
            report.Skip("dialplan hooks", "off (Dialplan:Enabled is false).");
            return;
        }
        var allowed = options.AllowedAddresses.Length == 0 ? DialplanOptions.LoopbackOnly : options.AllowedAddresses;
        var beyondLoopback = allowed.Where(a => !IsLoopback(a)).ToList();
        var secret = options.Secret.Length > 0;
        if (beyondLoopback.Count > 0 && !secret)
        {
            report.Warn("dialplan hooks", $"answer {string.Join(", ", beyondLoopback)} without a secret: anyone there can report calls and read customer names.",
                "Set Dialplan:Secret and send it from the dialplan (X-Dialplan-Secret header or secret=), or narrow Dialplan:AllowedAddresses to the PBX.");
            return;
        }
        report.Pass("dialplan hooks", $"answer {string.Join(", ", allowed)}{(secret ? " with the secret" : "")}.");
    }

    private static bool IsLoopback(string cidr)
    {
        var address = cidr.Split('/')[0];
        return IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);
    }
}
