using System.Globalization;
using System.Text;
using System.Text.Json;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

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
