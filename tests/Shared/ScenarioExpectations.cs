using CallerIdGateway.Calls;

namespace CallerIdGateway.Testing;

/// <summary>
/// What each captured scenario must produce, whatever the protocol (ARI or AMI) and the Asterisk version. Written
/// from scenario.md and expected.tsv, not from the code's output.
/// </summary>
public static class ScenarioExpectations
{
    /// <summary>Both phones of the captures are watched, so a colleague's side of a call (internal, transfers) is seen too.</summary>
    public static string[] MonitoredExtensions(string scenario) => ["1008", "1009"];

    private const string Consulting = "internal transfer:attended:1009>1008:consulting";
    private const string Attended = "transfer:attended:1009>1008";
    private const string Blind = "transfer:blind:1008>1009";

    /// <summary>
    /// One line per call change, "extension other-party state[:outcome] [direction] [transfer]" (see <see cref="Describe"/>),
    /// in the order they happen on each extension.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Changes = new Dictionary<string, string[]>
    {
        ["answered"] = ["1008 12345678 Ringing", "1008 12345678 Answered", "1008 12345678 Ended"],
        ["missed"] = ["1008 12345678 Ringing", "1008 12345678 Missed:Cancelled"],
        ["busy"] = ["1008 12345678 Ringing", "1008 12345678 Missed:Busy"],
        ["no-answer"] = ["1008 12345678 Ringing", "1008 12345678 Missed:NoAnswer"],
        ["callerid-formats"] =
        [
            "1008 +989123456789 Ringing", "1008 +989123456789 Answered", "1008 +989123456789 Ended",
            "1008 00982112345678 Ringing", "1008 00982112345678 Answered", "1008 00982112345678 Ended",
            "1008 anonymous Ringing", "1008 anonymous Answered", "1008 anonymous Ended",
            "1008 +989121112233 Ringing", "1008 +989121112233 Answered", "1008 +989121112233 Ended",
        ],
        ["simultaneous"] =
        [
            "1008 02112345678 Ringing", "1008 09123456789 Ringing", "1008 09123456789 Answered",
            "1008 02112345678 Missed:Cancelled", "1008 09123456789 Ended",
        ],
        ["ring-group"] =
        [
            "1008 12345678 Ringing", "1009 12345678 Ringing", "1008 12345678 Answered",
            "1009 12345678 AnsweredElsewhere", "1008 12345678 Ended",
        ],
        ["queue"] = ["1008 12345678 Ringing", "1008 12345678 Answered", "1008 12345678 Ended"],
        ["queue-local"] = ["1008 12345678 Ringing", "1008 12345678 Answered", "1008 12345678 Ended"],
        ["internal"] =
        [
            "1009 1008 Ringing internal", "1009 1008 Answered internal", "1009 1008 Ended internal",
            "1008 1009 Ringing internal", "1008 1009 Answered internal", "1008 1009 Ended internal",
        ],
        ["attended-transfer"] =
        [
            "1009 09123456789 Ringing", "1009 09123456789 Answered", $"1009 09123456789 Ended:Transferred {Attended}",
            $"1008 1009 Ringing {Consulting}", $"1008 1009 Answered {Consulting}",
            $"1008 09123456789 Answered {Attended}", $"1008 09123456789 Ended {Attended}",
        ],
        ["outbound"] = ["1008 09123456789 Ringing outbound", "1008 09123456789 Answered outbound", "1008 09123456789 Ended outbound"],
        ["click-to-call-ari"] = ["1008 09123456789 Ringing outbound", "1008 09123456789 Answered outbound", "1008 09123456789 Ended outbound"],
        ["click-to-call-ami"] = ["1008 09123456789 Ringing outbound", "1008 09123456789 Answered outbound", "1008 09123456789 Ended outbound"],
        ["hangup-ari"] = ["1008 09123456789 Ringing", "1008 09123456789 Missed:NoAnswer"],
        ["hangup-ami"] = ["1008 09123456789 Ringing", "1008 09123456789 Missed:NoAnswer"],
        ["redirect-ami"] =
        [
            "1008 09123456789 Ringing", "1008 09123456789 Answered", $"1008 09123456789 Ended:Transferred {Blind}",
            $"1009 09123456789 Ringing {Blind}", $"1009 09123456789 Answered {Blind}", $"1009 09123456789 Ended {Blind}",
        ],
    };

    /// <summary>The expected changes of each extension, in order (the order between extensions differs between ARI and AMI).</summary>
    public static IEnumerable<string> PerExtension(IEnumerable<string> lines) =>
        lines.Select((line, index) => (line, index)).OrderBy(l => l.line.Split(' ')[0], StringComparer.Ordinal).ThenBy(l => l.index).Select(l => l.line);

    /// <summary>
    /// The call log's rows at the end, "extension other-party state direction" (expected.tsv's rows, except that a
    /// consultation and the transferred call it becomes are one row: one card, one call id).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> Rows = new Dictionary<string, string[]>
    {
        ["answered"] = ["1008 12345678 ended inbound"],
        ["missed"] = ["1008 12345678 missed inbound"],
        ["busy"] = ["1008 12345678 missed inbound"],
        ["no-answer"] = ["1008 12345678 missed inbound"],
        ["callerid-formats"] = ["1008 +989123456789 ended inbound", "1008 00982112345678 ended inbound", "1008 anonymous ended inbound", "1008 +989121112233 ended inbound"],
        ["simultaneous"] = ["1008 09123456789 ended inbound", "1008 02112345678 missed inbound"],
        ["ring-group"] = ["1008 12345678 ended inbound", "1009 12345678 answeredElsewhere inbound"],
        ["queue"] = ["1008 12345678 ended inbound"],
        ["queue-local"] = ["1008 12345678 ended inbound"],
        ["internal"] = ["1008 1009 ended internal", "1009 1008 ended internal"],
        ["attended-transfer"] = ["1008 09123456789 ended inbound", "1009 09123456789 ended inbound"],
        ["outbound"] = ["1008 09123456789 ended outbound"],
        ["click-to-call-ari"] = ["1008 09123456789 ended outbound"],
        ["click-to-call-ami"] = ["1008 09123456789 ended outbound"],
        ["hangup-ari"] = ["1008 09123456789 missed inbound"],
        ["hangup-ami"] = ["1008 09123456789 missed inbound"],
        ["redirect-ami"] = ["1008 09123456789 ended inbound", "1009 09123456789 ended inbound"],
    };

    /// <summary>The first two words of a line (extension, other party): the changes of one call, whose order is kept.</summary>
    public static string PerCall(string line) => string.Join(' ', line.Split(' ')[..2]);

    /// <summary>A tracker change or a published payload's call (the same type) as one line.</summary>
    public static string Describe(CallInfo call)
    {
        var line = $"{call.Extension} {call.RemoteNumber} {call.State}";
        if (call.State == CallState.Missed || call.Outcome == LegOutcome.Transferred)
        {
            line += $":{call.Outcome}";
        }
        if (call.Direction != CallDirection.Inbound)
        {
            line += " " + Contracts.ContractJson.Name(call.Direction);
        }
        if (call.Transfer is { } t)
        {
            line += $" transfer:{Contracts.ContractJson.Name(t.Kind)}:{t.From}>{t.To}" + (t.Completed ? "" : ":consulting");
        }
        return line;
    }
}
