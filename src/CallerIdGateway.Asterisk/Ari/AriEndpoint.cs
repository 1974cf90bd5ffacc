namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// One endpoint of <c>GET /endpoints</c> (ARI's Endpoint model): <c>{"technology":"PJSIP","resource":"1008",
/// "state":"online","channel_ids":[]}</c>. <see cref="State"/> is <c>online</c> while a phone is registered
/// or qualifies, <c>offline</c> when none is, <c>unknown</c> when Asterisk cannot tell.
/// </summary>
public sealed record AriEndpoint
{
    public string Technology { get; init; } = "";

    public string Resource { get; init; } = "";

    public string? State { get; init; }

    public IReadOnlyList<string> ChannelIds { get; init; } = [];
}
