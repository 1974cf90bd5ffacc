using CallerIdGateway.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace CallerIdGateway.Tests.Hosting;

public class ControlCharacterEscaperTests
{
    private static LogEvent Event(params LogEventProperty[] properties) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse("{A}"), properties);

    private static string Rendered(LogEvent logEvent, string name)
    {
        new ControlCharacterEscaper().Enrich(logEvent, null!);
        return logEvent.Properties[name].ToString();
    }

    [Theory]
    [InlineData("0912\r\n[INF] forged", @"0912\u000d\u000a[INF] forged")]
    [InlineData("\u001b[2J", @"\u001b[2J")]
    [InlineData("a\u2028b\u0085c", @"a\u2028b\u0085c")]
    [InlineData("tab\there", @"tab\u0009here")]
    public void Control_characters_in_a_string_are_written_as_escapes(string value, string expected) =>
        Assert.Equal($"\"{expected}\"", Rendered(Event(new LogEventProperty("A", new ScalarValue(value))), "A"));

    [Fact]
    public void Plain_values_are_left_as_they_are()
    {
        var number = new ScalarValue("+98 912 345 6789 خلیلی");
        var logEvent = Event(new LogEventProperty("A", number), new LogEventProperty("B", new ScalarValue(42)));

        new ControlCharacterEscaper().Enrich(logEvent, null!);

        Assert.Same(number, logEvent.Properties["A"]);
        Assert.Equal("42", logEvent.Properties["B"].ToString());
    }

    [Fact]
    public void Values_inside_sequences_structures_and_dictionaries_and_other_types_are_escaped_too()
    {
        var logEvent = Event(
            new LogEventProperty("Seq", new SequenceValue([new ScalarValue("ok"), new ScalarValue("a\nb")])),
            new LogEventProperty("Obj", new StructureValue([new LogEventProperty("Number", new ScalarValue("a\rb"))], "Call")),
            new LogEventProperty("Dict", new DictionaryValue([KeyValuePair.Create(new ScalarValue("k\n"), (LogEventPropertyValue)new ScalarValue("v\n"))])),
            new LogEventProperty("Char", new ScalarValue('\n')),
            new LogEventProperty("Other", new ScalarValue(new System.Text.StringBuilder("a\nb")))); // written with ToString()
        new ControlCharacterEscaper().Enrich(logEvent, null!);

        var all = string.Join(" ", logEvent.Properties.Values.Select(v => v.ToString()));
        Assert.DoesNotContain('\n', all);
        Assert.DoesNotContain('\r', all);
        Assert.Contains(@"a\u000ab", logEvent.Properties["Seq"].ToString());
        Assert.Contains(@"a\u000db", logEvent.Properties["Obj"].ToString());
        Assert.StartsWith("Call", logEvent.Properties["Obj"].ToString());
        Assert.Contains(@"k\u000a", logEvent.Properties["Dict"].ToString());
        Assert.Equal(@"""\u000a""", logEvent.Properties["Char"].ToString());
        Assert.Equal(@"""a\u000ab""", logEvent.Properties["Other"].ToString());
    }
}
