namespace CallerIdGateway.Testing;

/// <summary>
/// What each captured scenario must produce, whatever the protocol (ARI or AMI) and the Asterisk
/// version: one line per call change, "extension caller state". Written from scenario.md, not from
/// the code's output.
/// </summary>
public static class ScenarioExpectations
{
    /// <summary>The ring-group scenario is watched with both of its extensions monitored.</summary>
    public static string[] MonitoredExtensions(string scenario) => scenario == "ring-group" ? ["1008", "1009"] : ["1008"];

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
        ["internal"] = ["1008 1009 Ringing", "1008 1009 Answered", "1008 1009 Ended"],
    };

    public static string Describe(CallerIdGateway.Calls.CallInfo call) =>
        $"{call.Extension} {call.CallerNumber} {call.State}" + (call.State == CallerIdGateway.Calls.CallState.Missed ? $":{call.Outcome}" : "");
}
