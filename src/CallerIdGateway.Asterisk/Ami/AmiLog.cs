using Microsoft.Extensions.Logging;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>Every log line of the AMI client. None takes the secret: it is never a parameter here.</summary>
internal static partial class AmiLog
{
    [LoggerMessage(100, LogLevel.Warning, "Skipped an AMI packet: one of its lines is longer than {MaxLineBytes} bytes")]
    public static partial void PacketSkippedLineTooLong(ILogger logger, int maxLineBytes);

    [LoggerMessage(101, LogLevel.Warning, "Skipped an AMI packet longer than {MaxPacketBytes} bytes")]
    public static partial void PacketSkippedTooLarge(ILogger logger, int maxPacketBytes);

    [LoggerMessage(102, LogLevel.Debug, "The AMI stream ended inside a packet ({Lines} lines); the partial packet was dropped")]
    public static partial void StreamEndedInsidePacket(ILogger logger, int lines);

    [LoggerMessage(110, LogLevel.Information, "Connected to Asterisk Manager {AmiVersion} at {Host}:{Port} as '{Username}'")]
    public static partial void Connected(ILogger logger, string amiVersion, string host, int port, string username);

    [LoggerMessage(111, LogLevel.Error, "{Reason} Retrying in {Delay}; check Asterisk:Ami:Username/Secret and the user in manager.conf")]
    public static partial void AuthenticationFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(112, LogLevel.Warning, "Reconnecting to AMI at {Host}:{Port} in {Delay} (attempt {Attempt}): {Reason}")]
    public static partial void Retrying(ILogger logger, string host, int port, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(113, LogLevel.Warning, "Lost the AMI session with {Host}:{Port}: {Reason}")]
    public static partial void ConnectionLost(ILogger logger, string host, int port, string reason);

    [LoggerMessage(114, LogLevel.Information, "Asterisk at {Host}:{Port} announced a shutdown (Shutdown: {Shutdown}, Restart: {Restart}); will reconnect")]
    public static partial void ShutdownAnnounced(ILogger logger, string host, int port, string? shutdown, string? restart);

    [LoggerMessage(115, LogLevel.Warning, "No Pong from AMI at {Host}:{Port} within {Timeout}; dropping the session")]
    public static partial void PongMissing(ILogger logger, string host, int port, TimeSpan timeout);

    [LoggerMessage(116, LogLevel.Error, "The AMI OnConnected handler failed; dropping the session to try again")]
    public static partial void OnConnectedFailed(ILogger logger, Exception exception);

    [LoggerMessage(117, LogLevel.Error, "The AMI event handler failed on {EventName}; continuing with the next event")]
    public static partial void OnEventFailed(ILogger logger, string? eventName, Exception exception);

    [LoggerMessage(118, LogLevel.Debug, "Ignored an AMI response for no pending action (ActionID {ActionId})")]
    public static partial void UnmatchedResponse(ILogger logger, string? actionId);

    [LoggerMessage(119, LogLevel.Debug, "Ignored an AMI packet that is neither an event nor a response")]
    public static partial void PacketIgnored(ILogger logger);
}
