using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace CallerIdGateway.Hosting;

/// <summary>
/// Writes control characters in every logged value as <c>\u000d</c>: a caller number, a channel name
/// or a request field comes from outside (ARI, AMI, a hook, a browser), and a line break in one would
/// otherwise start a forged line in the console log. Done once for every event, so no call site can forget.
/// </summary>
public sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (Escape(value) is { } safe)
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }
        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its control characters escaped, or null when it has none.</summary>
    private static LogEventPropertyValue? Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                return NeedsEscaping(text) ? new ScalarValue(Escape(text)) : null;
            case ScalarValue { Value: null or bool or byte or short or int or long or float or double or decimal
                or DateTime or DateTimeOffset or TimeSpan or Guid or Enum }:
                return null; // nothing to forge a line with
            case ScalarValue { Value: { } other }:
                // Rendered with ToString() (a char, an IPAddress, StringValues, a Uri…): judge what will be written.
                var rendered = Convert.ToString(other, CultureInfo.InvariantCulture) ?? "";
                return NeedsEscaping(rendered) ? new ScalarValue(Escape(rendered)) : null;
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(e => Escape(e)).ToList();
                return elements.Any(e => e is not null)
                    ? new SequenceValue(sequence.Elements.Select((e, i) => elements[i] ?? e))
                    : null;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => Escape(p.Value)).ToList();
                return properties.Any(p => p is not null)
                    ? new StructureValue(structure.Properties.Select((p, i) => properties[i] is { } safe ? new LogEventProperty(p.Name, safe) : p), structure.TypeTag)
                    : null;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => (Key: Escape(e.Key) as ScalarValue, Value: Escape(e.Value))).ToList();
                return entries.Any(e => e.Key is not null || e.Value is not null)
                    ? new DictionaryValue(dictionary.Elements.Select((e, i) =>
                        new KeyValuePair<ScalarValue, LogEventPropertyValue>(entries[i].Key ?? e.Key, entries[i].Value ?? e.Value)))
                    : null;
            default:
                return null;
        }
    }

    private static bool NeedsEscaping(string text)
    {
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                return true;
            }
        }
        return false;
    }

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    // C0 and C1 controls (\r, \n, ESC for terminal colours, NEL…) and the Unicode line and paragraph separators.
    private static bool IsUnsafe(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
