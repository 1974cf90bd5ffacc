namespace CallerIdGateway.Asterisk.Ari;

/// <summary>Where <see cref="AriEventStream"/> is, for health checks.</summary>
public enum AriConnectionState
{
    /// <summary>Not running, or waiting to retry after a failure.</summary>
    Disconnected,

    Connecting,

    Connected,

    /// <summary>Asterisk refused the credentials; the next try waits for <see cref="ReconnectOptions.AuthFailureDelay"/>.</summary>
    AuthenticationFailed,

    /// <summary>Another socket took over the application name; the stream stopped for good.</summary>
    Replaced,
}
