using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>One message from the ARI events socket. Match on the derived records.</summary>
public abstract record AriEvent
{
    /// <summary>ARI's event type, e.g. <c>ChannelCreated</c>.</summary>
    public required string Type { get; init; }

    /// <summary>
    /// When Asterisk raised the event, on Asterisk's clock and in its UTC offset. Absent on
    /// <c>ApplicationReplaced</c>, which Asterisk sends with only a type and an application.
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The Stasis application the event was sent to.</summary>
    public required string Application { get; init; }

    /// <summary>The sending Asterisk's entity id (a MAC address); absent before Asterisk 14.</summary>
    public string? AsteriskId { get; init; }
}

/// <summary>An event about one channel; <see cref="Channel"/> is its snapshot after the change.</summary>
public abstract record AriChannelEvent : AriEvent
{
    public required AriChannel Channel { get; init; }
}

public sealed record AriChannelCreated : AriChannelEvent;

public sealed record AriChannelStateChange : AriChannelEvent;

public sealed record AriChannelConnectedLine : AriChannelEvent;

public sealed record AriChannelDestroyed : AriChannelEvent
{
    /// <summary>Q.850 cause: 16 normal, 17 busy, 26 answered elsewhere, … Not a reliable outcome on its own.</summary>
    public required int Cause { get; init; }

    [JsonPropertyName("cause_txt")]
    public required string CauseText { get; init; }
}

public sealed record AriChannelHangupRequest : AriChannelEvent
{
    /// <summary>Absent on some requests (chan_sip's first request of a missed call has none).</summary>
    public int? Cause { get; init; }

    public bool? Soft { get; init; }
}

public sealed record AriChannelDialplan : AriChannelEvent
{
    public required string DialplanApp { get; init; }

    public required string DialplanAppData { get; init; }
}

public sealed record AriStasisStart : AriChannelEvent
{
    public IReadOnlyList<string> Args { get; init; } = [];

    public AriChannel? ReplaceChannel { get; init; }
}

public sealed record AriStasisEnd : AriChannelEvent;

/// <remarks>ARI's spec marks <c>channel</c> optional here, but stasis_bridges.c never sends the event without it.</remarks>
public sealed record AriChannelEnteredBridge : AriChannelEvent
{
    public required AriBridge Bridge { get; init; }
}

public sealed record AriChannelLeftBridge : AriChannelEvent
{
    public required AriBridge Bridge { get; init; }
}

/// <summary>
/// A blind transfer: <see cref="AriChannelEvent.Channel"/> (the transferer) sent <see cref="Transferee"/> to
/// <see cref="Exten"/>@<see cref="Context"/>. <see cref="Result"/> is <c>Success</c> when it worked.
/// </summary>
public sealed record AriBridgeBlindTransfer : AriChannelEvent
{
    public required string Exten { get; init; }

    public required string Context { get; init; }

    public required string Result { get; init; }

    public AriChannel? Transferee { get; init; }

    [JsonPropertyName("is_external")]
    public bool IsExternal { get; init; }
}

/// <summary>
/// An attended transfer: the transferer (<see cref="TransfererFirstLeg"/>, talking to <see cref="Transferee"/>, and
/// <see cref="TransfererSecondLeg"/>, talking to <see cref="TransferTarget"/>) joined the two. The target is often a
/// Local channel (<c>Local/1008@internal-…;1</c>), not the phone itself.
/// </summary>
public sealed record AriBridgeAttendedTransfer : AriEvent
{
    [JsonPropertyName("transferer_first_leg")]
    public required AriChannel TransfererFirstLeg { get; init; }

    [JsonPropertyName("transferer_second_leg")]
    public required AriChannel TransfererSecondLeg { get; init; }

    public AriChannel? Transferee { get; init; }

    [JsonPropertyName("transfer_target")]
    public AriChannel? TransferTarget { get; init; }

    public required string Result { get; init; }

    [JsonPropertyName("is_external")]
    public bool IsExternal { get; init; }

    [JsonPropertyName("destination_type")]
    public string? DestinationType { get; init; }
}

/// <summary>
/// Progress of a dial from <see cref="Caller"/> to <see cref="Peer"/>. Published on the caller's
/// topic, so only a <c>subscribeAll</c> socket is sure to see it.
/// </summary>
public sealed record AriDial : AriEvent
{
    /// <summary>The calling channel; absent when nothing dials (e.g. an originate).</summary>
    public AriChannel? Caller { get; init; }

    /// <summary>The dialled channel, e.g. the leg that rings the phone.</summary>
    public required AriChannel Peer { get; init; }

    public string? Forward { get; init; }

    public AriChannel? Forwarded { get; init; }

    [JsonPropertyName("dialstring")]
    public string? DialString { get; init; }

    /// <summary>"" when the dial starts, then RINGING / PROGRESS / PROCEEDING, ending ANSWER, BUSY, CANCEL, NOANSWER, CHANUNAVAIL or CONGESTION.</summary>
    [JsonPropertyName("dialstatus")]
    public required string DialStatus { get; init; }
}

/// <summary>
/// Another socket took over our application name: Asterisk now sends the events there, not here.
/// </summary>
public sealed record AriApplicationReplaced : AriEvent;

/// <summary>A well-formed event of a type this library has no record for, kept as its raw JSON.</summary>
public sealed record AriUnknownEvent : AriEvent
{
    [SetsRequiredMembers]
    public AriUnknownEvent(string type, string json)
    {
        Type = type;
        Json = json;
        Application = "";
    }

    /// <summary>The frame, verbatim.</summary>
    public string Json { get; }
}
