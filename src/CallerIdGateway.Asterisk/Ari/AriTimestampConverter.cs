using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallerIdGateway.Asterisk.Ari;

/// <summary>
/// Asterisk writes times as <c>2026-11-24T00:56:17.564+0330</c> (strftime's <c>%z</c>: no colon in
/// the offset), which System.Text.Json's ISO 8601 reader refuses. Every event has one or more of
/// them, so that layout is parsed by hand; anything else falls back to the invariant culture.
/// </summary>
internal sealed class AriTimestampConverter : JsonConverter<DateTimeOffset>
{
    private const int AsteriskLayoutLength = 28; // yyyy-MM-ddTHH:mm:ss.fff+hhmm

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"Expected a timestamp string, got {reader.TokenType}.");
        }
        if (!reader.ValueIsEscaped && TryParseAsteriskLayout(reader.ValueSpan, out var value))
        {
            return value;
        }
        var text = reader.GetString()!;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value))
        {
            return value;
        }
        throw new JsonException($"'{text}' is not a timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        writer.WriteStringValue(string.Create(CultureInfo.InvariantCulture,
            $"{value:yyyy-MM-dd'T'HH:mm:ss.fff}{sign}{offset.Hours:00}{offset.Minutes:00}"));
    }

    internal static bool TryParseAsteriskLayout(ReadOnlySpan<byte> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length != AsteriskLayoutLength
            || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.'
            || (s[23] != '+' && s[23] != '-'))
        {
            return false;
        }
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second)
            || !TryDigits(s.Slice(20, 3), out var millisecond)
            || !TryDigits(s.Slice(24, 2), out var offsetHours) || !TryDigits(s.Slice(26, 2), out var offsetMinutes))
        {
            return false;
        }
        // Range checks first: the constructors below throw on a bad field, and a bad frame must cost a return value, not an exception.
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59 || offsetHours > 14 || offsetMinutes > 59)
        {
            return false;
        }
        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        value = new DateTimeOffset(year, month, day, hour, minute, second, millisecond, s[23] == '-' ? -offset : offset);
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> digits, out int value)
    {
        value = 0;
        foreach (var b in digits)
        {
            var digit = b - '0';
            if ((uint)digit > 9)
            {
                return false;
            }
            value = (value * 10) + digit;
        }
        return true;
    }
}
