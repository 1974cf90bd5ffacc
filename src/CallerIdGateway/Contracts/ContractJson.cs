using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallerIdGateway.Contracts;

/// <summary>The JSON conventions of the published contract, shared by REST and the hub.</summary>
public static class ContractJson
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        options.Converters.Add(new UtcTimestampConverter());
    }

    /// <summary>
    /// The name an enum value has on the wire (its <c>[JsonStringEnumMemberName]</c>), for the places that
    /// write it outside a JSON document: the call view, the call log's columns, FastAGI's variables.
    /// </summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => WireNames<TEnum>.Of[value];

    private static class WireNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly FrozenDictionary<TEnum, string> Of = Enum.GetValues<TEnum>().ToFrozenDictionary(
            value => value,
            value => typeof(TEnum).GetField(value.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()!.Name);
    }

    /// <summary>Timestamps always leave as UTC with a Z (2026-11-24T08:15:02.12Z), whatever offset they carry inside.</summary>
    private sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime);
    }
}
