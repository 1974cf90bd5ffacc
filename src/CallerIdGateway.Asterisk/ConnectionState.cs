namespace CallerIdGateway.Asterisk;

/// <summary>Where an <see cref="AsteriskConnection"/> (the ARI events socket, the AMI session) is, for health checks.</summary>
public enum ConnectionState
{
    /// <summary>Not running, or waiting to retry after a failure.</summary>
    Disconnected,

    /// <summary>Connecting (and logging in).</summary>
    Connecting,

    /// <summary>Up; events flow.</summary>
    Connected,

    /// <summary>Asterisk refused the credentials; the next try waits for <see cref="ReconnectOptions.AuthFailureDelay"/>.</summary>
    AuthenticationFailed,

    /// <summary>The peer told us to stop for good (ARI: another socket took over the application name).</summary>
    Replaced,
}
