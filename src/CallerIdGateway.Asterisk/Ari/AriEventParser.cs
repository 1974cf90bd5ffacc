using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// Turns one ARI WebSocket text frame into an <see cref="AriEvent"/>. Bad input (invalid JSON, no
/// <c>type</c>, a typed event missing a required field) is reported through the return value and
/// never thrown: one broken frame must cost that frame, not the connection.
/// </summary>
/// <remarks>
/// Most of what <c>subscribeAll</c> sends is noise to a caller-ID gateway (about 60 % of the frames
/// are ChannelVarset). A parser built for a set of event types reads only as far as a frame's
/// top-level <c>type</c> (which is not always the first property) and skips unwanted frames without
/// deserializing them; such frames are not validated past that point. Instances are immutable and
/// thread-safe.
/// </remarks>
public sealed class AriEventParser
{
    // Longer type names are legal but never ours; they take the allocating path.
    private const int StackTypeLength = 64;

    private static readonly FrozenDictionary<string, JsonTypeInfo?> s_typed = new Dictionary<string, JsonTypeInfo?>
    {
        ["ChannelCreated"] = AriJsonContext.Default.AriChannelCreated,
        ["ChannelStateChange"] = AriJsonContext.Default.AriChannelStateChange,
        ["ChannelConnectedLine"] = AriJsonContext.Default.AriChannelConnectedLine,
        ["ChannelDestroyed"] = AriJsonContext.Default.AriChannelDestroyed,
        ["ChannelHangupRequest"] = AriJsonContext.Default.AriChannelHangupRequest,
        ["ChannelDialplan"] = AriJsonContext.Default.AriChannelDialplan,
        ["Dial"] = AriJsonContext.Default.AriDial,
        ["StasisStart"] = AriJsonContext.Default.AriStasisStart,
        ["StasisEnd"] = AriJsonContext.Default.AriStasisEnd,
        ["ApplicationReplaced"] = AriJsonContext.Default.AriApplicationReplaced,
        ["ChannelEnteredBridge"] = AriJsonContext.Default.AriChannelEnteredBridge,
        ["ChannelLeftBridge"] = AriJsonContext.Default.AriChannelLeftBridge,
        ["BridgeBlindTransfer"] = AriJsonContext.Default.AriBridgeBlindTransfer,
        ["BridgeAttendedTransfer"] = AriJsonContext.Default.AriBridgeAttendedTransfer,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The event types that parse to a typed record; any other type parses to <see cref="AriUnknownEvent"/>.</summary>
    public static IReadOnlySet<string> TypedEvents { get; } = s_typed.Keys.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Parses every frame: typed records where there is one, <see cref="AriUnknownEvent"/> otherwise.</summary>
    public static AriEventParser All { get; } = new(s_typed, keepOtherTypes: true);

    // Type name → its deserializer; a null value means "wanted, but kept as AriUnknownEvent".
    private readonly FrozenDictionary<string, JsonTypeInfo?>.AlternateLookup<ReadOnlySpan<char>> _types;
    private readonly bool _keepOtherTypes;

    /// <summary>A parser that delivers only <paramref name="eventTypes"/> and skips every other type cheaply.</summary>
    /// <param name="eventTypes">ARI type names, e.g. <see cref="TypedEvents"/>; names without a record give <see cref="AriUnknownEvent"/>.</param>
    public AriEventParser(IEnumerable<string> eventTypes)
        : this(Select(eventTypes), keepOtherTypes: false)
    {
    }

    private AriEventParser(FrozenDictionary<string, JsonTypeInfo?> types, bool keepOtherTypes)
    {
        _types = types.GetAlternateLookup<ReadOnlySpan<char>>();
        _keepOtherTypes = keepOtherTypes;
    }

    /// <summary>Parses one complete text frame.</summary>
    /// <param name="utf8">The frame's bytes.</param>
    /// <param name="evt">The event; null when the frame is well-formed up to its type but of a type this parser skips.</param>
    /// <param name="error">Why the frame was refused, in a few words; null on success.</param>
    /// <returns>False when the frame is not a usable ARI message.</returns>
    public bool TryParse(ReadOnlySpan<byte> utf8, out AriEvent? evt, [NotNullWhen(false)] out string? error)
    {
        evt = null;
        Span<char> buffer = stackalloc char[StackTypeLength];
        if (!TryReadType(utf8, buffer, out var length, out var longType, out error))
        {
            return false;
        }
        ReadOnlySpan<char> type = longType is null ? buffer[..length] : longType.AsSpan();
        if (!_types.TryGetValue(type, out var typeInfo) && !_keepOtherTypes)
        {
            return true;
        }
        try
        {
            evt = typeInfo is null
                ? ReadUnknown(utf8, longType ?? type.ToString())
                : (AriEvent)JsonSerializer.Deserialize(utf8, typeInfo)!;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = $"invalid {type}: {ex.Message}";
            return false;
        }
    }

    private static FrozenDictionary<string, JsonTypeInfo?> Select(IEnumerable<string> eventTypes)
    {
        ArgumentNullException.ThrowIfNull(eventTypes);
        return eventTypes.Distinct(StringComparer.Ordinal)
            .ToFrozenDictionary(t => t, t => s_typed.GetValueOrDefault(t), StringComparer.Ordinal);
    }

    /// <summary>Finds the top-level <c>type</c>, skipping whatever comes before it without materializing it.</summary>
    private static bool TryReadType(ReadOnlySpan<byte> utf8, Span<char> buffer, out int length, out string? longType, [NotNullWhen(false)] out string? error)
    {
        length = 0;
        longType = null;
        var reader = new Utf8JsonReader(utf8);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return false;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isType = reader.ValueTextEquals("type"u8);
                reader.Read();
                if (!isType)
                {
                    reader.Skip();
                    continue;
                }
                if (reader.TokenType != JsonTokenType.String)
                {
                    error = "\"type\" is not a string";
                    return false;
                }
                // An escaped value is never longer than its raw bytes, and UTF-8 never has fewer bytes than UTF-16 chars.
                if (reader.ValueSpan.Length <= buffer.Length)
                {
                    length = reader.CopyString(buffer);
                }
                else
                {
                    longType = reader.GetString();
                }
                error = null;
                return true;
            }
            error = "no \"type\" property";
            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
    }

    private static AriUnknownEvent ReadUnknown(ReadOnlySpan<byte> utf8, string type)
    {
        var envelope = JsonSerializer.Deserialize(utf8, AriJsonContext.Default.AriEventEnvelope)!;
        return new AriUnknownEvent(type, Encoding.UTF8.GetString(utf8))
        {
            Timestamp = envelope.Timestamp,
            Application = envelope.Application ?? "",
            AsteriskId = envelope.AsteriskId,
        };
    }
}
