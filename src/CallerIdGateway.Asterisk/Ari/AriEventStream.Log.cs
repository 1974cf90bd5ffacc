using Microsoft.Extensions.Logging;

namespace CallerIdGateway.Asterisk.Ari;

public sealed partial class AriEventStream
{
    [LoggerMessage(1, LogLevel.Information, "ARI events connected to {Url} as application {Application}")]
    private partial void LogConnected(Uri url, string application);

    [LoggerMessage(2, LogLevel.Information, "ARI events connected to {Url} as application {Application} after {FailedAttempts} failed attempt(s)")]
    private partial void LogReconnected(Uri url, string application, int failedAttempts);

    [LoggerMessage(3, LogLevel.Warning, "ARI events connection to {Url} failed (attempt {Attempt}): {Reason}. Retrying in {Delay}")]
    private partial void LogRetrying(Uri url, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(4, LogLevel.Warning, "ARI events connection to {Url} lost after {Uptime}: {Reason}")]
    private partial void LogConnectionLost(Uri url, TimeSpan uptime, string reason);

    [LoggerMessage(5, LogLevel.Error, "Asterisk refused the credentials of ARI user {User} at {Url} (HTTP 401). Check Asterisk:Ari:Username/Password against ari.conf; next try in {Delay}")]
    private partial void LogAuthenticationFailed(string user, Uri url, TimeSpan delay);

    [LoggerMessage(6, LogLevel.Error, "Another client connected to {Url} with application name {Application}, and Asterisk now sends the events there; each gateway instance needs its own Asterisk:Ari:Application. This ARI connection stops and will not reconnect")]
    private partial void LogReplaced(Uri url, string application);

    [LoggerMessage(7, LogLevel.Warning, "Skipped an ARI frame that could not be parsed ({Error}): {Preview}")]
    private partial void LogSkippedInvalid(string error, string preview);

    [LoggerMessage(8, LogLevel.Warning, "Skipped an ARI message of {Length} bytes, over the limit of {MaxMessageBytes} bytes")]
    private partial void LogSkippedTooLarge(long length, int maxMessageBytes);

    [LoggerMessage(9, LogLevel.Warning, "Skipped a binary WebSocket message of {Length} bytes (ARI sends text only)")]
    private partial void LogSkippedBinary(long length);

    [LoggerMessage(10, LogLevel.Error, "The ARI event handler failed on a {EventType} event; continuing with the next event")]
    private partial void LogHandlerFailed(Exception exception, string eventType);
}
