namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// The AMI session is not usable: not connected, closed by the peer, no Pong, or the peer does
/// not speak AMI. The connection reconnects by itself; a pending action fails with this.
/// </summary>
public sealed class AmiConnectionException : IOException
{
    public AmiConnectionException(string message) : base(message)
    {
    }

    public AmiConnectionException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>Asterisk answered an action with <c>Response: Error</c>; <see cref="Exception.Message"/> carries its Message.</summary>
public sealed class AmiActionException(string actionName, AmiMessage response)
    : Exception($"Asterisk refused the AMI action {actionName}: {response["Message"] ?? "(no message)"}")
{
    public string ActionName { get; } = actionName;

    public AmiMessage Response { get; } = response;
}
