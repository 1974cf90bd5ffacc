using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

/// <summary>
/// How a leg ended, from what ARI and AMI both report. Hangup causes differ between Asterisk
/// versions (a caller's cancel is 127 on 22 and 0/16 on 16), so the Dial status decides; only
/// cause 26, "answered elsewhere", means the same everywhere.
/// </summary>
internal static class LegOutcomes
{
    public static LegOutcome Of(int hangupCause, string lastDialStatus, bool wasUp) => hangupCause == 26
        ? LegOutcome.AnsweredElsewhere
        : lastDialStatus switch
        {
            "BUSY" => LegOutcome.Busy,
            "NOANSWER" => LegOutcome.NoAnswer,
            "CANCEL" => LegOutcome.Cancelled,
            "CHANUNAVAIL" or "CONGESTION" => LegOutcome.Failed,
            "ANSWER" => LegOutcome.Completed,
            _ => wasUp ? LegOutcome.Completed : hangupCause == 17 ? LegOutcome.Busy : LegOutcome.Unknown,
        };
}
