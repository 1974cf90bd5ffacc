using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace CallerIdGateway.Dialplan.FastAgi;

/// <summary>
/// What Asterisk sends when <c>AGI(agi://host:4573/script?x=y)</c> connects (res_agi.c): one
/// <c>agi_name: value</c> line per variable (<c>agi_network_script</c>, <c>agi_callerid</c>,
/// <c>agi_callingpres</c>, <c>agi_uniqueid</c>, <c>agi_arg_1</c>…), then an empty line.
/// </summary>
public sealed class AgiRequest
{
    private AgiRequest(IReadOnlyDictionary<string, string> variables)
    {
        Variables = variables;
        var script = Get("agi_network_script") ?? "";
        var question = script.IndexOf('?');
        Script = (question >= 0 ? script[..question] : script).Trim('/');
        Query = question >= 0 ? QueryHelpers.ParseQuery(script[question..]).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.OrdinalIgnoreCase)
            : new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    /// <summary>The script name of the URL: <c>callerid</c> for <c>agi://gateway:4573/callerid?script=latin</c>.</summary>
    public string Script { get; }

    /// <summary>The URL's query (<c>script=latin</c>, <c>secret=…</c>).</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    public string? CallerNumber => Get("agi_callerid");

    public string? UniqueId => Get("agi_uniqueid");

    /// <summary>
    /// Whether the caller asked to withhold the number: <c>agi_callingpres</c> carries the presentation
    /// as a number whose bits 0x60 are 0x20 (restricted) or 0x40 (unavailable), as in CALLERID(pres).
    /// </summary>
    public bool IsNumberWithheld => int.TryParse(Get("agi_callingpres"), out var presentation) && (presentation & 0x60) != 0;

    public string? Get(string name) => Variables.TryGetValue(name, out var value) ? value : null;

    /// <summary>Reads the header lines (without the closing empty line); lines that are not <c>name: value</c> are skipped.</summary>
    public static AgiRequest Parse(IEnumerable<string> lines)
    {
        var variables = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                variables[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }
        return new AgiRequest(variables);
    }
}

/// <summary>Lines of the AGI byte stream: LF-terminated (a CR before it is dropped), UTF-8.</summary>
public static class AgiLines
{
    /// <summary>Takes one complete line off the front of <paramref name="buffer"/>; false when no full line is there yet.</summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, out string line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> bytes, (byte)'\n'))
        {
            line = "";
            return false;
        }
        line = Encoding.UTF8.GetString(bytes).TrimEnd('\r');
        buffer = buffer.Slice(reader.Position);
        return true;
    }
}

/// <summary>AGI commands and replies.</summary>
public static class AgiCommand
{
    /// <summary>
    /// <c>SET VARIABLE name "value"</c>. res_agi splits arguments on spaces unless quoted, and inside
    /// quotes a backslash escapes the next character; line breaks would end the command, so they go.
    /// </summary>
    public static string SetVariable(string name, string value)
    {
        var escaped = new StringBuilder(value.Length + 2);
        foreach (var c in value)
        {
            if (c is '\r' or '\n')
            {
                escaped.Append(' ');
                continue;
            }
            if (c is '"' or '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return $"SET VARIABLE {name} \"{escaped}\"\n";
    }

    /// <summary><c>200 result=1</c> → (200, 1). Asterisk also sends a bare <c>HANGUP</c> line when the channel hangs up.</summary>
    public static (int Code, string Result) ParseReply(string line)
    {
        var space = line.IndexOf(' ');
        var codeText = space < 0 ? line : line[..space];
        if (codeText.Length >= 3 && int.TryParse(codeText.AsSpan(0, 3), out var code))
        {
            var result = line.IndexOf("result=", StringComparison.Ordinal) is var at and >= 0 ? line[(at + 7)..].Split(' ')[0] : "";
            return (code, result);
        }
        return (0, line);
    }
}
