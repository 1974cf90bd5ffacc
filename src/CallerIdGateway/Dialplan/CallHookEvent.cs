namespace CallerIdGateway.Dialplan;

/// <summary>What the dialplan reports about a call, one route each.</summary>
public enum CallHookEvent
{
    /// <summary>A leg toward the extension rings: from a <c>Dial()</c> pre-dial handler <c>b()</c> on the leg.</summary>
    Ringing,

    /// <summary>The leg was answered: from <c>Dial()</c>'s <c>U()</c> GoSub on the leg.</summary>
    Answered,

    /// <summary>The leg is gone: from a hangup handler on the leg.</summary>
    Ended,

    /// <summary>The caller hung up: from a hangup handler on the caller's channel; ends every leg of the call.</summary>
    Hangup,
}
