using System.Text;

namespace CallerIdGateway.Asterisk.Ami;

/// <summary>
/// A request to Asterisk: <c>Action: Name</c> plus headers. The connection adds the
/// <c>ActionID</c> it uses to match the reply, so callers never set one.
/// </summary>
/// <example><code>new AmiAction("Events").Add("EventMask", "call")</code></example>
public sealed class AmiAction
{
    // Headers whose values ToString() hides: a Login action must not leak into a log line.
    private static readonly string[] SensitiveKeys = ["Secret", "Key"];

    private readonly List<KeyValuePair<string, string>> _headers = [];

    public AmiAction(string name)
    {
        CheckWireSafe(name, nameof(name));
        if (name.Length == 0 || name.Contains(':'))
        {
            throw new ArgumentException("An AMI action name is one word, like Ping or CoreShowChannels.", nameof(name));
        }
        Name = name;
    }

    public string Name { get; }

    /// <summary>Adds a header; a key may be added more than once (<c>Variable</c> on Originate).</summary>
    public AmiAction Add(string key, string value)
    {
        CheckWireSafe(key, nameof(key));
        CheckWireSafe(value, nameof(value));
        if (key.Length == 0 || key.Contains(':'))
        {
            throw new ArgumentException($"'{key}' is not a valid AMI header name.", nameof(key));
        }
        if (key.Equals("Action", StringComparison.OrdinalIgnoreCase) || key.Equals("ActionID", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"The connection writes the {key} header itself.", nameof(key));
        }
        _headers.Add(new(key, value));
        return this;
    }

    /// <summary>The action in wire form, ended by the empty line.</summary>
    internal byte[] Serialize(string actionId)
    {
        var text = new StringBuilder(64 + _headers.Count * 32);
        text.Append("Action: ").Append(Name).Append("\r\n");
        text.Append("ActionID: ").Append(actionId).Append("\r\n");
        foreach (var (key, value) in _headers)
        {
            text.Append(key).Append(": ").Append(value).Append("\r\n");
        }
        text.Append("\r\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Name and headers for logs, with secrets masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Action: ").Append(Name);
        foreach (var (key, value) in _headers)
        {
            var shown = SensitiveKeys.Contains(key, StringComparer.OrdinalIgnoreCase) ? "***" : value;
            text.Append(", ").Append(key).Append(": ").Append(shown);
        }
        return text.ToString();
    }

    // A CR or LF inside a header would end it early and let the rest pose as another header (or action).
    private static void CheckWireSafe(string text, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(text, parameterName);
        if (text.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("AMI headers cannot contain line breaks.", parameterName);
        }
    }
}
