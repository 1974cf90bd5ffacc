namespace CallerIdGateway.Phone;

/// <summary>What GET /api/phone/settings hands to the signed-in agent's dashboard: enough for JsSIP to register.</summary>
public sealed record PhoneSettings(string WebSocketUrl, string SipUri, string Username, string Password, string? DisplayName);
