namespace CallerIdGateway.Asterisk;

/// <summary>What went wrong last with a connection to Asterisk, for health checks and diagnostics (no secrets in it).</summary>
public sealed record LastError(string Message, DateTimeOffset At);
