namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// What an <see cref="AmiConnection"/> tells its consumer. Calls never overlap: per session,
/// <see cref="OnConnectedAsync"/> first, then every event in the order Asterisk sent them.
/// </summary>
public interface IAmiEventHandler
{
    /// <summary>
    /// After each (re)login, before any event of the new session. Resync here (for example
    /// <c>SendEventListActionAsync(new AmiAction("CoreShowChannels"))</c>): events that arrive
    /// meanwhile are buffered and handed to <see cref="OnEventAsync"/> once this returns. If this
    /// throws, the session is dropped and a new one is tried.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the session ends.</param>
    ValueTask OnConnectedAsync(AmiConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// One wanted event. Items of event lists requested through the connection go to that
    /// request instead. An exception is logged and the next event is delivered. Events already
    /// received when a session drops are still delivered, before the next OnConnectedAsync.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when <see cref="AmiConnection.RunAsync"/> is stopped.</param>
    ValueTask OnEventAsync(AmiMessage message, CancellationToken cancellationToken);
}
