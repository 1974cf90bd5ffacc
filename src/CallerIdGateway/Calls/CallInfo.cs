using System.Text.Json.Serialization;

namespace CallerIdGateway.Calls;

[JsonConverter(typeof(JsonStringEnumConverter<CallState>))]
public enum CallState
{
    [JsonStringEnumMemberName("ringing")] Ringing,
    [JsonStringEnumMemberName("answered")] Answered,
    /// <summary>Over, after an answer.</summary>
    [JsonStringEnumMemberName("ended")] Ended,
    /// <summary>Never answered anywhere: the caller gave up, the phone was busy, or nobody answered.</summary>
    [JsonStringEnumMemberName("missed")] Missed,
    /// <summary>A ring group or queue call that another extension took.</summary>
    [JsonStringEnumMemberName("answeredElsewhere")] AnsweredElsewhere,
}

/// <summary>Which event stream reported a call.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallSource>))]
public enum CallSource
{
    [JsonStringEnumMemberName("ari")] Ari,
    [JsonStringEnumMemberName("ami")] Ami,
    [JsonStringEnumMemberName("hook")] Hook,
}

/// <summary>How one leg toward an extension ended, as far as the source can tell; on the wire, why a call ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LegOutcome>))]
public enum LegOutcome
{
    [JsonStringEnumMemberName("unknown")] Unknown,
    /// <summary>Answered, then hung up.</summary>
    [JsonStringEnumMemberName("completed")] Completed,
    [JsonStringEnumMemberName("busy")] Busy,
    [JsonStringEnumMemberName("noAnswer")] NoAnswer,
    /// <summary>The dial was cancelled: the caller hung up (or another leg answered).</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Hangup cause 26: another phone of the ring group or queue answered.</summary>
    [JsonStringEnumMemberName("answeredElsewhere")] AnsweredElsewhere,
    /// <summary>The phone could not be reached (CHANUNAVAIL, CONGESTION).</summary>
    [JsonStringEnumMemberName("failed")] Failed,
    /// <summary>The extension handed the call on to another (blind or attended transfer).</summary>
    [JsonStringEnumMemberName("transferred")] Transferred,
}

/// <summary>Who called whom, seen from the extension.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallDirection>))]
public enum CallDirection
{
    /// <summary>An outside caller rings the extension.</summary>
    [JsonStringEnumMemberName("inbound")] Inbound,
    /// <summary>The extension calls an outside number (phone, browser phone or click-to-call).</summary>
    [JsonStringEnumMemberName("outbound")] Outbound,
    /// <summary>Extension to extension (a colleague), including a colleague's consultation before an attended transfer.</summary>
    [JsonStringEnumMemberName("internal")] Internal,
}

[JsonConverter(typeof(JsonStringEnumConverter<TransferKind>))]
public enum TransferKind
{
    [JsonStringEnumMemberName("blind")] Blind,
    [JsonStringEnumMemberName("attended")] Attended,
}

/// <summary>
/// How a transfer touched the call on this extension. <see cref="From"/> handed the customer on to <see cref="To"/>;
/// until <see cref="Completed"/>, <see cref="From"/> is consulting <see cref="To"/> while the customer waits.
/// </summary>
public sealed record CallTransfer(TransferKind Kind, string From, string? To, bool Completed, string? CustomerNumber, string? CustomerName);

/// <summary>
/// One call on one extension, as the tracker knows it now: also the payload's <c>call</c> as it is published
/// (docs/contract.md; the members serialize in this order, with the contract's names). Immutable; each change is a new instance.
/// </summary>
public sealed record CallInfo
{
    /// <summary>The call's id: the Uniqueid of the caller's channel (AMI Linkedid), shared by every extension the call rings.</summary>
    public required string Id { get; init; }

    public required string Extension { get; init; }

    /// <summary>The caller's number exactly as Asterisk presented it (may be <c>anonymous</c>).</summary>
    public required string CallerNumber { get; init; }

    public required string CallerName { get; init; }

    /// <summary>E.164 (or bare digits), null when the caller withheld the number.</summary>
    public string? NormalizedNumber { get; init; }

    public required CallState State { get; init; }

    public required CallSource Source { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>For <see cref="CallState.AnsweredElsewhere"/>: the monitored extension that answered, when known.</summary>
    public string? AnsweredBy { get; init; }

    public CallDirection Direction { get; init; } = CallDirection.Inbound;

    /// <summary>
    /// The other party as the PBX presented it: the caller (inbound, equal to <see cref="CallerNumber"/>), the dialled
    /// number (outbound), the colleague's extension (internal). Unless set, the caller.
    /// </summary>
    public string RemoteNumber { get => _remoteNumber ?? CallerNumber; init => _remoteNumber = value; }

    private readonly string? _remoteNumber;

    public string RemoteName { get; init; } = "";

    /// <summary>
    /// Why a missed call was missed (busy, no answer, caller hung up), or that the extension transferred it; null while
    /// the call rings or talks (the tracker clears it whenever a call becomes active again).
    /// </summary>
    public LegOutcome? Outcome { get; init; }

    /// <summary>Set when a transfer brought the call here, is being prepared (consultation), or took it away.</summary>
    public CallTransfer? Transfer { get; init; }

    /// <summary>
    /// The number whose customer the card shows: the other party, or the waiting customer during a colleague's
    /// consultation; null for a colleague's own call (no customer lookup).
    /// </summary>
    [JsonIgnore]
    public string? LookupNumber => Transfer is { Completed: false, CustomerNumber: { Length: > 0 } waiting } && Transfer.To == Extension
        ? waiting
        : Direction == CallDirection.Internal ? null : RemoteNumber;

    [JsonIgnore]
    public bool IsActive => State is CallState.Ringing or CallState.Answered;
}
