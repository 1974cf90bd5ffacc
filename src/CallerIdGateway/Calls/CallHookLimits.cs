namespace CallerIdGateway.Calls;

/// <summary>
/// How long a call that only the dialplan hook reports may ring (since its last report) and talk
/// (since its answer) before the tracker closes it: a hook report of its end can be lost, and no
/// resync exists for it (<c>Dialplan:CallHookMaxRing</c>, <c>Dialplan:CallHookMaxTalk</c>).
/// </summary>
public sealed record CallHookLimits(TimeSpan MaxRing, TimeSpan MaxTalk);
