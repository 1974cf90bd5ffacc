namespace CallerIdGateway.Asterisk.Ami;

public enum AmiConnectionState
{
    /// <summary>Not connected: not started, stopped, or waiting to reconnect.</summary>
    Disconnected,

    /// <summary>Connecting and logging in.</summary>
    Connecting,

    /// <summary>Logged in; events flow.</summary>
    Connected,

    /// <summary>Asterisk refused the credentials; waiting <see cref="ReconnectOptions.AuthFailureDelay"/> before trying again.</summary>
    AuthenticationFailed,
}
