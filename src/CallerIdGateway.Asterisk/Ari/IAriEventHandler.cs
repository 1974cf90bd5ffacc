namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// Receives what <see cref="AriEventStream"/> reads. Calls never overlap and come in this order
/// for each connection: <see cref="OnConnectedAsync"/> once, then <see cref="OnEventAsync"/> for
/// every event received on that connection, in the order Asterisk sent them.
/// </summary>
public interface IAriEventHandler
{
    /// <summary>
    /// A new events socket is open (the first or a reconnect) and Asterisk is already queueing
    /// events on it; none has been delivered yet. Resync here (<c>GET /channels</c>): whatever
    /// changes after the snapshot still arrives as an event, so there is no gap, only possible
    /// overlap (an event may repeat what the snapshot showed). Throwing drops the connection and
    /// retries with backoff, since a half-done resync leaves the state unknown.
    /// </summary>
    ValueTask OnConnectedAsync(CancellationToken cancellationToken);

    /// <summary>One event. An exception is logged and the next event is delivered.</summary>
    ValueTask OnEventAsync(AriEvent evt, CancellationToken cancellationToken);
}
