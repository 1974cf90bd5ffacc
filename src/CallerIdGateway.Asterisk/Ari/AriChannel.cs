using System.Text.Json.Serialization;

namespace CallerIdGateway.Asterisk.Ari;

// Required members are the ones the gateway cannot do without; the rest default, so that a PBX
// that leaves out a field nobody reads does not cost us the whole event.

/// <summary>A channel as ARI reports it (the <c>Channel</c> model). <see cref="Id"/> equals AMI's Uniqueid.</summary>
public sealed record AriChannel
{
    public required string Id { get; init; }

    /// <summary>Technology name, e.g. <c>PJSIP/1008-00000001</c> or <c>SIP/1008-0000000b</c>.</summary>
    public required string Name { get; init; }

    /// <summary>
    /// Down, Ring, Ringing, Up, Busy, … Kept as an open string: Asterisk's code and its own spec
    /// disagree on some spellings (Rsrvd / Rsrved).
    /// </summary>
    public required string State { get; init; }

    /// <summary>This channel's own identity. On the leg that rings a phone, that is the phone.</summary>
    public required AriCallerId Caller { get; init; }

    /// <summary>The other party. On the leg that rings a phone, that is the external caller.</summary>
    public required AriCallerId Connected { get; init; }

    public required AriDialplanLocation Dialplan { get; init; }

    [JsonPropertyName("creationtime")]
    public required DateTimeOffset CreationTime { get; init; }

    public string Language { get; init; } = "";

    [JsonPropertyName("accountcode")]
    public string AccountCode { get; init; } = "";
}

/// <summary>A caller ID as ARI sends it; an unknown part is an empty string.</summary>
public sealed record AriCallerId
{
    public string Name { get; init; } = "";

    public string Number { get; init; } = "";
}

/// <summary>Where a channel is in the dialplan (ARI's <c>DialplanCEP</c>).</summary>
public sealed record AriDialplanLocation
{
    public string Context { get; init; } = "";

    public string Exten { get; init; } = "";

    public long Priority { get; init; }

    public string AppName { get; init; } = "";

    public string AppData { get; init; } = "";
}

/// <summary>The part of ARI's <c>Bridge</c> model that tells who talks to whom.</summary>
public sealed record AriBridge
{
    public required string Id { get; init; }

    /// <summary>Ids of the channels in the bridge after the change.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
}

/// <summary><c>GET /asterisk/info</c>: which Asterisk answers and since when.</summary>
public sealed record AriAsteriskInfo
{
    public AriSystemInfo? System { get; init; }

    public AriStatusInfo? Status { get; init; }
}

public sealed record AriSystemInfo
{
    /// <summary>Asterisk's version, e.g. <c>22.10.1</c>.</summary>
    public string Version { get; init; } = "";

    /// <summary>The same value the events carry as <c>asterisk_id</c>.</summary>
    public string EntityId { get; init; } = "";
}

public sealed record AriStatusInfo
{
    /// <summary>Changes when Asterisk restarts: a restart loses every subscription and channel.</summary>
    public DateTimeOffset? StartupTime { get; init; }

    public DateTimeOffset? LastReloadTime { get; init; }
}
