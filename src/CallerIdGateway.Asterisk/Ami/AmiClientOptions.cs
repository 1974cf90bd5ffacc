namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// Where and how to reach the Asterisk Manager Interface. The gateway binds the section
/// <c>Asterisk:Ami</c> onto this (Host, Port, Username, Secret; Enabled is the gateway's own).
/// </summary>
public class AmiClientOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 5038;

    /// <summary>
    /// The manager.conf user. It needs only <c>read=call</c> (plus <c>agent</c> for queue events)
    /// and <c>write=reporting</c> for the CoreShowChannels resync: Login, Challenge, Events, Ping
    /// and Logoff need no write class (main/manager.c registers them with authority 0).
    /// </summary>
    public string Username { get; set; } = "";

    /// <summary>Never logged, never put in an exception message or ToString().</summary>
    public string Secret { get; set; } = "";

    /// <summary>
    /// Log in with <c>Action: Challenge</c> + an MD5 key, so the secret never crosses the wire.
    /// There is no fallback to the plain secret: a server that refuses the challenge gets retried,
    /// not downgraded (a fallback would hand the secret to anything that pretends not to know MD5).
    /// Set false only for an AMI that lacks Challenge.
    /// </summary>
    public bool UseMd5Challenge { get; set; } = true;

    /// <summary>
    /// The <c>Events:</c> class mask sent with Login: <c>on</c>, <c>off</c> or classes. Channel, dial
    /// and bridge events are in <c>call</c>; queue events (QueueCallerJoin, AgentCalled…) in
    /// <c>agent</c>. Asterisk sends only what the user's <c>read=</c> also allows, so asking for
    /// <c>agent</c> costs nothing on a <c>read=call</c> user.
    /// </summary>
    public string EventMask { get; set; } = "call,agent";

    /// <summary>
    /// Event names handed to the handler (case-insensitive); empty means all. Others are dropped
    /// while parsing, before their headers become strings. Read once, when the connection is created.
    /// </summary>
    public ISet<string> WantedEvents { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How often to send Ping; a missing Pong within <see cref="ActionTimeout"/> drops and reconnects.
    /// <see cref="Timeout.InfiniteTimeSpan"/> turns keepalive off.</summary>
    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long an action (and an event list, as a whole) may wait for its reply.</summary>
    public TimeSpan ActionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the TCP connect plus the banner may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Starts every ActionID this connection sends. Asterisk hands some events that answer an action
    /// (OriginateResponse) to every session with the originator's ActionID, so two connections to one
    /// Asterisk need different prefixes, or one's answer could end the other's pending action.
    /// </summary>
    public string ActionIdPrefix { get; set; } = "cig-";

    /// <summary>A packet with a longer line (or longer than four such lines) is skipped with one warning.</summary>
    public int MaxLineBytes { get; set; } = AmiProtocolReader.DefaultMaxLineBytes;

    public ReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Where the session goes, without the secret.</summary>
    public override string ToString() => $"AMI {Username}@{Host}:{Port}";

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException("Asterisk:Ami:Host is empty.");
        }
        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Asterisk:Ami:Port {Port} is not a TCP port.");
        }
        if (string.IsNullOrWhiteSpace(Username))
        {
            throw new ArgumentException("Asterisk:Ami:Username is empty.");
        }
        if (ActionTimeout <= TimeSpan.Zero || ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Asterisk:Ami ActionTimeout and ConnectTimeout must be positive.");
        }
        if (PingInterval <= TimeSpan.Zero && PingInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException("Asterisk:Ami:PingInterval must be positive, or infinite to turn keepalive off.");
        }
        if (MaxLineBytes < 256)
        {
            throw new ArgumentException("Asterisk:Ami:MaxLineBytes must be at least 256.");
        }
        foreach (var (name, value) in new[] { (nameof(Username), Username), (nameof(Secret), Secret), (nameof(EventMask), EventMask), (nameof(ActionIdPrefix), ActionIdPrefix) })
        {
            if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                throw new ArgumentException($"Asterisk:Ami:{name} contains a line break.");
            }
        }
    }
}
