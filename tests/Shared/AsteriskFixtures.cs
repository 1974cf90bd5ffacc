using System.Runtime.CompilerServices;

namespace CallerIdGateway.Testing;

/// <summary>
/// The real Asterisk captures in tests/fixtures/asterisk (see its README): one folder per
/// Asterisk version, one sub-folder per scenario with ari.jsonl, ari-timed.jsonl and ami.txt.
/// </summary>
public static class AsteriskFixtures
{
    public const string Pjsip22 = "22.10.1-pjsip";
    public const string ChanSip16 = "16.30.1-chansip";

    public static readonly string[] Versions = [Pjsip22, ChanSip16];

    public static readonly string[] Scenarios =
        ["answered", "missed", "busy", "no-answer", "callerid-formats", "simultaneous", "ring-group", "queue", "queue-local", "internal",
         "attended-transfer", "outbound", "click-to-call-ari", "click-to-call-ami", "hangup-ari", "hangup-ami", "redirect-ami"];

    /// <summary>Every (version, scenario) pair that was captured, for xunit's MemberData (16 has no ARI-driven call control captures).</summary>
    public static IEnumerable<object[]> All() =>
        from v in Versions from s in Scenarios where Directory.Exists(ScenarioDirectory(v, s)) select new object[] { v, s };

    public static string Root { get; } = FindRoot();

    public static string ScenarioDirectory(string version, string scenario) => Path.Combine(Root, version, scenario);

    public static string PathOf(string version, string scenario, string file) => Path.Combine(ScenarioDirectory(version, scenario), file);

    /// <summary>The ARI frames of a scenario, verbatim, one string per WebSocket text frame.</summary>
    public static string[] AriFrames(string version, string scenario) =>
        File.ReadAllLines(PathOf(version, scenario, "ari.jsonl")).Where(l => l.Length > 0).ToArray();

    /// <summary>
    /// The same frames with new channel ids (their leading "1795" or "1796" replaced by <paramref name="idPrefix"/>):
    /// a PBX never reuses ids and the tracker remembers ended calls, so a capture replayed a second
    /// time to the same gateway must look like new calls.
    /// </summary>
    public static string[] AriFrames(string version, string scenario, string idPrefix) =>
        AriFrames(version, scenario).Select(f => WithFreshIds(f, idPrefix)).ToArray();

    /// <summary>ARI JSON (a frame, or a GET /channels body) with every channel id's leading "1795" (the first captures) or "1796" (the transfer captures) replaced by <paramref name="idPrefix"/>,
    /// in a bridge's list of channel ids too.</summary>
    public static string WithFreshIds(string ariJson, string idPrefix) =>
        System.Text.RegularExpressions.Regex.Replace(ariJson, "(\"id\":\"|(?<=\"channels\":\\[[^\\]]*)\")179[56]", m => m.Groups[1].Value + idPrefix);

    /// <summary>
    /// Channel id → linkedid of the channels in a scenario's <c>ami-coreshowchannels.txt</c> (the same
    /// moment as its <c>ari-channels.json</c>; ARI's id is AMI's Uniqueid), each id's leading "1795"
    /// replaced by <paramref name="idPrefix"/> when given, as <see cref="WithFreshIds"/> does.
    /// </summary>
    public static Dictionary<string, string> LinkedIds(string version, string scenario, string? idPrefix = null)
    {
        string Fresh(string id) => idPrefix is null || !id.StartsWith("1795", StringComparison.Ordinal) ? id : idPrefix + id[4..];
        var linked = new Dictionary<string, string>(StringComparer.Ordinal);
        string? uniqueId = null;
        foreach (var line in File.ReadLines(PathOf(version, scenario, "ami-coreshowchannels.txt")))
        {
            if (line.StartsWith("Uniqueid: ", StringComparison.Ordinal))
            {
                uniqueId = line["Uniqueid: ".Length..].Trim();
            }
            else if (line.StartsWith("Linkedid: ", StringComparison.Ordinal) && uniqueId is not null)
            {
                linked[Fresh(uniqueId)] = Fresh(line["Linkedid: ".Length..].Trim());
                uniqueId = null;
            }
        }
        return linked;
    }

    /// <summary>The raw AMI byte stream of a scenario, banner to Logoff, CRLF kept.</summary>
    public static byte[] AmiBytes(string version, string scenario) => File.ReadAllBytes(PathOf(version, scenario, "ami.txt"));

    private static string FindRoot([CallerFilePath] string thisFile = "")
    {
        // Walk up from the test binaries first (works when sources moved), then from this source file.
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(thisFile)! })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "asterisk");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        throw new DirectoryNotFoundException("tests/fixtures/asterisk not found above " + AppContext.BaseDirectory);
    }
}
