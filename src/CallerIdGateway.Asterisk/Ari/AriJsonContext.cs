using System.Text.Json.Serialization;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// Source-generated (de)serializers for everything the ARI client reads or writes: no reflection,
/// snake_case like Asterisk, and nullable annotations enforced so a <c>null</c> where the records
/// say "never null" fails the frame instead of surfacing later as a NullReferenceException.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectNullableAnnotations = true,
    Converters = [typeof(AriTimestampConverter)])]
[JsonSerializable(typeof(AriChannelCreated))]
[JsonSerializable(typeof(AriChannelStateChange))]
[JsonSerializable(typeof(AriChannelConnectedLine))]
[JsonSerializable(typeof(AriChannelDestroyed))]
[JsonSerializable(typeof(AriChannelHangupRequest))]
[JsonSerializable(typeof(AriChannelDialplan))]
[JsonSerializable(typeof(AriDial))]
[JsonSerializable(typeof(AriStasisStart))]
[JsonSerializable(typeof(AriStasisEnd))]
[JsonSerializable(typeof(AriApplicationReplaced))]
[JsonSerializable(typeof(AriChannelEnteredBridge))]
[JsonSerializable(typeof(AriChannelLeftBridge))]
[JsonSerializable(typeof(AriBridgeBlindTransfer))]
[JsonSerializable(typeof(AriBridgeAttendedTransfer))]
[JsonSerializable(typeof(AriEventEnvelope))]
[JsonSerializable(typeof(AriChannel[]))]
[JsonSerializable(typeof(AriAsteriskInfo))]
[JsonSerializable(typeof(AriEndpoint[]))]
[JsonSerializable(typeof(AriOriginateBody))]
[JsonSerializable(typeof(AriErrorBody))]
[JsonSerializable(typeof(AriVariable))]
internal sealed partial class AriJsonContext : JsonSerializerContext;

/// <summary>The fields every ARI message shares; what an event of an unknown type is read as.</summary>
internal sealed record AriEventEnvelope(DateTimeOffset? Timestamp, string? Application, string? AsteriskId);

/// <summary>Body of <c>POST /channels</c>: channel variables go in the body, everything else in the query.</summary>
internal sealed record AriOriginateBody(IReadOnlyDictionary<string, string> Variables);

/// <summary>ARI's error body, e.g. <c>{"message":"Channel not found"}</c>.</summary>
internal sealed record AriErrorBody(string? Message);

/// <summary>Answer of <c>GET /channels/{id}/variable</c>: <c>{"value":"…"}</c>.</summary>
internal sealed record AriVariable(string? Value);
