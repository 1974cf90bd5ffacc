using System.Globalization;
using System.Text;
using System.Text.Json;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>
/// A captured AMI control action (a scenario's <c>action.txt</c>: Originate, Hangup, BlindTransfer)
/// with Asterisk's answers, and the scenario's event stream cut where the action was sent: what
/// happened before it (up to the event that triggered it) and what it caused.
/// </summary>
public sealed class TestAmiControlCapture
{
    private TestAmiControlCapture(AmiMessage action, IReadOnlyList<string> answers, byte[] before, byte[] after)
    {
        Action = action;
        Answers = answers;
        BeforeAction = before;
        AfterAction = after;
    }

    /// <summary>The action as sent, ActionID included.</summary>
    public AmiMessage Action { get; }

    public string Name => Action["Action"]!;

    public string ActionId => Action.ActionId!;

    /// <summary>The action's headers other than ActionID, in order: what a client must send to match the capture.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => WithoutActionId(Action);

    /// <summary>The packets Asterisk sent this session in answer, raw (CRLF kept): the response, then an OriginateResponse if any.</summary>
    public IReadOnlyList<string> Answers { get; }

    /// <summary>The events up to and including the one the action waited for (nothing for a click-to-call, which starts the call).</summary>
    public byte[] BeforeAction { get; }

    /// <summary>The rest of the events.</summary>
    public byte[] AfterAction { get; }

    public static IReadOnlyList<KeyValuePair<string, string>> WithoutActionId(AmiMessage message) =>
        [.. message.Where(h => !h.Key.Equals("ActionID", StringComparison.OrdinalIgnoreCase))];

    public static TestAmiControlCapture Load(string version, string scenario)
    {
        var text = File.ReadAllText(AsteriskFixtures.PathOf(version, scenario, "action.txt"), Encoding.UTF8);
        string? trigger = null;
        string? sent = null;
        var answers = new List<string>();
        foreach (var block in text.Split("### ", StringSplitOptions.RemoveEmptyEntries))
        {
            var lineEnd = block.IndexOf('\n');
            var title = block[..lineEnd].TrimEnd('\r');
            var packet = block[(lineEnd + 1)..].TrimStart('\r', '\n');
            packet = packet.TrimEnd('\r', '\n') + "\r\n\r\n";
            if (title.StartsWith("trigger", StringComparison.Ordinal))
            {
                trigger = title[(title.IndexOf(": ", StringComparison.Ordinal) + 2)..];
            }
            else if (title.StartsWith("sent", StringComparison.Ordinal))
            {
                sent = packet;
            }
            else if (title.StartsWith("received", StringComparison.Ordinal))
            {
                answers.Add(packet);
            }
        }
        var action = Parse(sent ?? throw new InvalidDataException($"{scenario}/action.txt has no sent action."));
        var stream = TestAmiCaptures.EventStream(version, scenario);
        var cut = trigger is null ? 0 : EndOfTriggerPacket(stream, trigger);
        return new TestAmiControlCapture(action, answers, stream[..cut], stream[cut..]);
    }

    /// <summary>The packet with the recorded ActionID replaced: what Asterisk would send a client that used <paramref name="actionId"/>.</summary>
    public string Answer(int index, string actionId) => Answers[index].Replace($"ActionID: {ActionId}\r\n", $"ActionID: {actionId}\r\n", StringComparison.Ordinal);

    /// <summary>The events the action caused; an OriginateResponse among them carries <paramref name="actionId"/>, as Asterisk sends it to every session.</summary>
    public byte[] AfterActionFor(string actionId) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(AfterAction).Replace($"ActionID: {ActionId}\r\n", $"ActionID: {actionId}\r\n", StringComparison.Ordinal));

    private static AmiMessage Parse(string packet) =>
        new(packet.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(": ", 2))
            .Select(kv => KeyValuePair.Create(kv[0], kv.Length > 1 ? kv[1] : "")));

    // "Event: Newstate on PJSIP/1008-00000016; action in 2000 ms": the first such event of that channel.
    private static int EndOfTriggerPacket(byte[] stream, string trigger)
    {
        var eventName = trigger["Event: ".Length..trigger.IndexOf(" on ", StringComparison.Ordinal)];
        var channel = trigger[(trigger.IndexOf(" on ", StringComparison.Ordinal) + 4)..trigger.IndexOf(';')];
        var text = Encoding.UTF8.GetString(stream);
        var offset = 0;
        foreach (var packet in text.Split("\r\n\r\n"))
        {
            offset += packet.Length + 4;
            if (packet.Contains($"Event: {eventName}\r\n", StringComparison.Ordinal) && packet.Contains($"\nChannel: {channel}\r\n", StringComparison.Ordinal))
            {
                return Encoding.UTF8.GetByteCount(text[..offset]);
            }
        }
        throw new InvalidDataException($"The trigger '{trigger}' is not in the capture.");
    }
}

/// <summary>
/// A captured ARI control request (a scenario's <c>rest.txt</c>: <c>POST /ari/channels</c> or
/// <c>DELETE /ari/channels/{id}</c>) with Asterisk's answer, and the scenario's frames cut at the moment it was sent.
/// </summary>
public sealed class TestAriControlCapture
{
    private TestAriControlCapture(string method, string pathAndQuery, int status, string body, string[] before, string[] after)
    {
        Method = method;
        PathAndQuery = pathAndQuery;
        Status = status;
        Body = body;
        BeforeRequest = before;
        AfterRequest = after;
    }

    public string Method { get; }

    /// <summary>As on the wire, e.g. <c>/ari/channels?endpoint=PJSIP%2F1008&amp;…</c>.</summary>
    public string PathAndQuery { get; }

    public int Status { get; }

    public string Body { get; }

    /// <summary>The frames received before the request was sent.</summary>
    public string[] BeforeRequest { get; }

    public string[] AfterRequest { get; }

    public static TestAriControlCapture Load(string version, string scenario)
    {
        var lines = File.ReadAllLines(AsteriskFixtures.PathOf(version, scenario, "rest.txt"), Encoding.UTF8).Select(l => l.TrimEnd('\r')).ToArray();
        // The control request is the last one (hangup-ari first lists the channels with a GET).
        var start = Array.FindLastIndex(lines, l => l.StartsWith("### request ", StringComparison.Ordinal));
        var sentAt = DateTimeOffset.Parse(lines[start]["### request ".Length..], CultureInfo.InvariantCulture);
        var curl = lines[start + 1];
        var method = curl.Contains("-X POST", StringComparison.Ordinal) ? "POST" : curl.Contains("-X DELETE", StringComparison.Ordinal) ? "DELETE" : "GET";
        // The URL as curl sent it, escapes untouched (a Uri would normalize them).
        var url = curl[curl.IndexOf("http://", StringComparison.Ordinal)..].TrimEnd('\'');
        var pathAndQuery = url[url.IndexOf('/', "http://".Length)..];
        var statusLine = lines.Skip(start).First(l => l.StartsWith("HTTP/1.1 ", StringComparison.Ordinal));
        var status = int.Parse(statusLine.Split(' ')[1], CultureInfo.InvariantCulture);
        var headersEnd = Array.IndexOf(lines, "", Array.IndexOf(lines, statusLine, start));
        var body = lines[headersEnd + 1].StartsWith("### ", StringComparison.Ordinal) ? "" : lines[headersEnd + 1];

        var before = new List<string>();
        var after = new List<string>();
        foreach (var line in File.ReadLines(AsteriskFixtures.PathOf(version, scenario, "ari-timed.jsonl")).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var frame = document.RootElement.GetProperty("frame").GetRawText();
            (document.RootElement.GetProperty("t").GetInt64() < sentAt.ToUnixTimeMilliseconds() ? before : after).Add(frame);
        }
        return new TestAriControlCapture(method, pathAndQuery, status, body, [.. before], [.. after]);
    }
}
