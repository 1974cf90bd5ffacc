namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// Where and how to reach ARI. The gateway binds it from <c>Asterisk:Ari</c> (BaseUrl, Username,
/// Password, Application); the rest has working defaults.
/// </summary>
public class AriClientOptions
{
    /// <summary>ARI's root, as in ari.conf / http.conf: <c>http://host:8088/ari</c> (https for TLS).</summary>
    public Uri BaseUrl { get; set; } = new("http://127.0.0.1:8088/ari");

    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>
    /// Stasis application name. Asterisk sends an application's events to one socket only, so
    /// every gateway instance on the same Asterisk needs its own name.
    /// </summary>
    public string Application { get; set; } = "callerid-gateway";

    /// <summary>
    /// Send the credentials on the events socket as <c>api_key=user:pass</c> in the query instead
    /// of a basic-auth header, for proxies that strip the header. The REST calls always use the header,
    /// so the password does not end up in HTTP client logs of request URLs.
    /// </summary>
    public bool UseApiKeyQuery { get; set; }

    /// <summary>
    /// Event types to deliver (ARI names, e.g. <c>Dial</c>); others are skipped without being
    /// deserialized. Null: <see cref="AriEventParser.TypedEvents"/>. ApplicationReplaced is always delivered.
    /// </summary>
    public IReadOnlyCollection<string>? EventTypes { get; set; }

    /// <summary>How often to ping Asterisk. It answers pings but never pings us, so this is how a dead peer is noticed.</summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the pong before the connection is declared dead.</summary>
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Limit on one WebSocket connect (TCP + upgrade); without it a host that drops SYNs holds us for minutes.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Larger events are read to their end, logged and skipped. Real ones are a few KB.</summary>
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    public ReconnectOptions Reconnect { get; set; } = new();
}
