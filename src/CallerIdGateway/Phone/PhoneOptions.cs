namespace CallerIdGateway.Phone;

/// <summary>
/// Settings of section <c>Phone</c>: what every agent's browser phone shares. An agent's own
/// account is <c>Auth:Users:N:Phone</c> (<see cref="AgentPhone"/>); a value set there wins.
/// </summary>
public sealed class PhoneOptions
{
    public const string Section = "Phone";

    /// <summary>The PBX's SIP-over-WebSocket address, e.g. <c>wss://pbx.example:8089/ws</c>.</summary>
    public string WebSocketUrl { get; set; } = "";

    /// <summary>The SIP domain for agents that give only a <see cref="AgentPhone.Username"/>: their URI is <c>sip:Username@Domain</c>.</summary>
    public string Domain { get; set; } = "";
}

/// <summary>An agent's SIP account for the dashboard's phone (a WebRTC extension on the PBX, e.g. <c>1008-web</c>).</summary>
public sealed class AgentPhone
{
    /// <summary>Overrides <see cref="PhoneOptions.WebSocketUrl"/> for this agent.</summary>
    public string WebSocketUrl { get; set; } = "";

    /// <summary>e.g. <c>sip:1008-web@pbx.example</c>; when empty, <c>sip:Username@Phone:Domain</c>.</summary>
    public string SipUri { get; set; } = "";

    /// <summary>The authorization user the PBX asks for.</summary>
    public string Username { get; set; } = "";

    /// <summary>The SIP password; handed only to this agent's signed-in dashboard, never logged.</summary>
    public string Password { get; set; } = "";

    public string DisplayName { get; set; } = "";
}
