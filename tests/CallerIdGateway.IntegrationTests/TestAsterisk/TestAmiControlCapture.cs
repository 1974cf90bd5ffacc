using System.Text;
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
