using System.Text;
using System.Text.Json;
using CallerIdGateway.Asterisk.Ari;

namespace CallerIdGateway.Asterisk.Tests.Ari;

public class AriTimestampConverterTests
{
    [Theory]
    [InlineData("2026-11-24T00:56:17.564+0000", 0, 0)]
    [InlineData("2026-11-24T04:26:17.564+0330", 3, 30)]
    [InlineData("2026-11-23T19:56:17.564-0500", -5, 0)]
    [InlineData("2026-11-24T04:26:17.564+03:30", 3, 30)] // not what Asterisk writes, read all the same
    public void Reads_asterisk_timestamps_with_their_offset(string text, int offsetHours, int offsetMinutes)
    {
        var value = Read(text);

        Assert.Equal(new DateTimeOffset(2026, 11, 24, 0, 56, 17, 564, TimeSpan.Zero), value);
        Assert.Equal(new TimeSpan(offsetHours, Math.Sign(offsetHours) * offsetMinutes, 0), value.Offset);
    }

    [Theory]
    [InlineData("2026-02-30T00:00:00.000+0000")]
    [InlineData("2026-13-01T00:00:00.000+0000")]
    [InlineData("2026-11-24T24:00:00.000+0000")]
    [InlineData("2026-11-24T00:56:17.564+9900")]
    [InlineData("yesterday at noon")]
    public void Refuses_what_is_not_a_time(string text)
    {
        Assert.Throws<JsonException>(() => Read(text));
    }

    [Fact]
    public void Writes_the_layout_asterisk_uses()
    {
        var value = new DateTimeOffset(2026, 11, 24, 4, 26, 17, 564, new TimeSpan(3, 30, 0));
        var writerOutput = new MemoryStream();
        using (var writer = new Utf8JsonWriter(writerOutput))
        {
            new AriTimestampConverter().Write(writer, value, JsonSerializerOptions.Default);
        }

        using var written = JsonDocument.Parse(writerOutput.ToArray());
        Assert.Equal("2026-11-24T04:26:17.564+0330", written.RootElement.GetString());
    }

    private static DateTimeOffset Read(string text)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(text)));
        reader.Read();
        return new AriTimestampConverter().Read(ref reader, typeof(DateTimeOffset), JsonSerializerOptions.Default);
    }
}
