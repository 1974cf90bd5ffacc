namespace CallerIdGateway.Calls;

/// <summary>A live leg of a call toward one extension: its channel id (ARI id = AMI Uniqueid) and, when known, its channel name.</summary>
public sealed record CallLeg(CallInfo Call, string LegId, string? Channel);
