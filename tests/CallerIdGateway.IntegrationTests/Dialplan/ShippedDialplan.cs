using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.Dialplan;

/// <summary>
/// The call reports of asterisk-config/extensions.conf as Asterisk sends them. The routines are the
/// ones its Dial() to 1008 runs: <c>b()</c> on each leg before it rings, <c>U()</c> on the leg that
/// answers (a context, entered at <c>s,1</c>), the hangup handlers those push on the leg and that
/// [gateway-inbound] pushes on the caller's channel. Each routine's <c>CURL()</c> is expanded the way
/// Asterisk expands it, innermost <c>${…}</c> first, with the values of the channel it runs on; a
/// variable Asterisk does not have is empty, as in Asterisk.
/// </summary>
public sealed partial class ShippedDialplan
{
    private readonly AsteriskConf _conf;
    private readonly Dictionary<string, string> _globals;

    private ShippedDialplan(AsteriskConf conf, Dictionary<string, string> globals)
    {
        _conf = conf;
        _globals = globals;
    }

    public static string FilePath { get; } = Path.GetFullPath(Path.Combine(AsteriskFixtures.Root, "..", "..", "..", "asterisk-config", "extensions.conf"));

    /// <summary>extensions.conf with some of its [globals] replaced (where the gateway listens, its secret, GATEWAY_CALL_HOOK).</summary>
    public static ShippedDialplan Load(IReadOnlyDictionary<string, string> globals)
    {
        var conf = AsteriskConf.Parse(File.ReadAllText(FilePath));
        var values = conf.Single("globals").Entries.ToDictionary(e => e.Key, e => e.Value);
        foreach (var (name, value) in globals)
        {
            values[name] = value;
        }
        return new ShippedDialplan(conf, values);
    }

    /// <summary>The routine Dial's <c>b(context^exten^priority)</c> runs on each new leg of a call to the extension from the trunk.</summary>
    public Routine PreDial(string extension) =>
        RoutineAt(PreDialOption().Match(DialLine(extension)) is { Success: true } m ? (m.Groups["context"].Value, m.Groups["exten"].Value)
            : throw new InvalidOperationException($"no b() in the Dial of [from-pstn] {extension}"));

    /// <summary>The routine Dial's <c>U(context[^args])</c> runs on the leg that answers: the context's <c>s</c> extension.</summary>
    public Routine Answered(string extension) =>
        RoutineAt(CalleeGosubOption().Match(DialLine(extension)) is { Success: true } m ? (m.Groups["context"].Value, "s")
            : throw new InvalidOperationException($"no U() in the Dial of [from-pstn] {extension}"));

    /// <summary>The hangup handler a routine pushes (<c>Set(CHANNEL(hangup_handler_push)=context,exten,1)</c>).</summary>
    public Routine HangupHandlerOf(Routine routine) =>
        RoutineAt(routine.Lines.Select(l => HangupHandlerPush().Match(l)).FirstOrDefault(m => m.Success) is { } m
            ? (m.Groups["context"].Value, m.Groups["exten"].Value)
            : throw new InvalidOperationException($"[{routine.Context}] {routine.Exten} pushes no hangup handler"));

    /// <summary>The routine the caller's channel runs before anything rings ([from-pstn]'s <c>GoSub</c>).</summary>
    public Routine Inbound(string extension) =>
        RoutineAt(GosubApp().Match(Lines("from-pstn", extension)[0]) is { Success: true } m ? (m.Groups["context"].Value, m.Groups["exten"].Value)
            : throw new InvalidOperationException($"[from-pstn] {extension} starts with no GoSub"));

    /// <summary>The HTTP request the routine's <c>CURL()</c> makes on a channel: GET for <c>CURL(url)</c>, a form POST for <c>CURL(url,data)</c>.</summary>
    public HttpRequestMessage Request(Routine routine, Channel channel)
    {
        var line = routine.Lines.SingleOrDefault(l => l.Contains("${CURL(", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"[{routine.Context}] {routine.Exten} makes no CURL() request");
        var open = line.IndexOf("${CURL(", StringComparison.Ordinal) + 1;
        var close = ClosingBrace(line, open); // ${CURL(…)} ends with ")}"
        var arguments = Expand(line[(open + "{CURL(".Length)..(close - 1)], channel);
        var comma = arguments.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return new HttpRequestMessage(HttpMethod.Get, arguments);
        }
        var body = new ByteArrayContent(Encoding.UTF8.GetBytes(arguments[(comma + 1)..]));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded"); // what libcurl sends with POSTFIELDS
        return new HttpRequestMessage(HttpMethod.Post, arguments[..comma]) { Content = body };
    }

    private Routine RoutineAt((string Context, string Exten) target) =>
        new(target.Context, target.Exten, Lines(target.Context, target.Exten));

    private string DialLine(string extension) =>
        Lines("from-pstn", extension).FirstOrDefault(l => l.Contains("Dial(", StringComparison.Ordinal))
        ?? throw new InvalidOperationException($"[from-pstn] {extension} dials nothing");

    /// <summary>The applications of one extension of a context, in order (<c>exten =></c> then its <c>same =></c> lines).</summary>
    private List<string> Lines(string context, string exten)
    {
        var lines = new List<string>();
        var current = false;
        foreach (var entry in _conf.Named(context).SelectMany(s => s.Entries))
        {
            var parts = entry.Value.Split(',', 3);
            if (entry.Key == "exten")
            {
                current = parts[0].Trim() == exten;
                if (current)
                {
                    lines.Add(parts[2]);
                }
            }
            else if (entry.Key == "same" && current)
            {
                lines.Add(entry.Value[(entry.Value.IndexOf(',') + 1)..]);
            }
        }
        return lines.Count > 0 ? lines : throw new InvalidOperationException($"extensions.conf has no extension {exten} in [{context}]");
    }

    /// <summary>Asterisk's substitution: the innermost <c>${…}</c> first, until none is left.</summary>
    private string Expand(string text, Channel channel)
    {
        while (Innermost().Match(text) is { Success: true } m)
        {
            text = string.Concat(text.AsSpan(0, m.Index), Value(m.Groups["expression"].Value, channel), text.AsSpan(m.Index + m.Length));
        }
        return text;
    }

    private string Value(string expression, Channel channel)
    {
        if (FunctionCall().Match(expression) is { Success: true } call)
        {
            var argument = call.Groups["argument"].Value;
            return (call.Groups["name"].Value, argument) switch
            {
                ("CHANNEL", "name") => channel.Name,
                ("CHANNEL", "linkedid") => channel.LinkedId,
                ("CHANNEL", "uniqueid") => channel.UniqueId,
                ("URIENCODE", _) => Uri.EscapeDataString(argument),
                _ => throw new NotSupportedException($"${{{expression}}}: the test does not know what Asterisk answers"),
            };
        }
        return expression switch
        {
            "UNIQUEID" => channel.UniqueId,
            "HANGUPCAUSE" => channel.HangupCause,
            _ => channel.Variables.GetValueOrDefault(expression) ?? _globals.GetValueOrDefault(expression) ?? "",
        };
    }

    private static int ClosingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0 && text[i] == '}')
            {
                return i;
            }
        }
        throw new FormatException("unbalanced ${ } in " + text);
    }

    /// <summary>One extension of a context: what a GoSub to <c>context,exten,1</c> runs.</summary>
    public sealed record Routine(string Context, string Exten, List<string> Lines);

    /// <summary>A channel as a routine sees it; <see cref="Variables"/> include those inherited from the caller (<c>__NAME</c>).</summary>
    public sealed record Channel(string Name, string UniqueId, string LinkedId, IReadOnlyDictionary<string, string> Variables, string HangupCause = "");

    [GeneratedRegex(@"\bb\((?<context>[\w-]+)\^(?<exten>[\w-]+)\^1\)")]
    private static partial Regex PreDialOption();

    [GeneratedRegex(@"\bU\((?<context>[\w-]+)[\^)]")]
    private static partial Regex CalleeGosubOption();

    [GeneratedRegex(@"hangup_handler_push\)=(?<context>[\w-]+),(?<exten>[\w-]+),1\b")]
    private static partial Regex HangupHandlerPush();

    [GeneratedRegex(@"^GoSub\((?<context>[\w-]+),(?<exten>[\w-]+),1\)", RegexOptions.IgnoreCase)]
    private static partial Regex GosubApp();

    [GeneratedRegex(@"\$\{(?<expression>[^${}]*)\}")]
    private static partial Regex Innermost();

    [GeneratedRegex(@"^(?<name>[A-Z][A-Z0-9_]*)\((?<argument>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex FunctionCall();
}
