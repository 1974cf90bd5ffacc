namespace CallerIdGateway.Calls;

/// <summary>How a leg reaches an extension.</summary>
public enum LegKind
{
    /// <summary>A channel to the phone itself: <c>PJSIP/1008-…</c>, <c>SIP/1008-…</c>, <c>IAX2/1008-…</c>.</summary>
    Device,

    /// <summary>The outward half of a Local channel, <c>Local/1008@context-…;1</c>: how FreePBX/Issabel queues and follow-me reach agents.</summary>
    Local,
}

/// <summary>Reads the extension out of an Asterisk channel name, whatever the technology.</summary>
public static class ChannelNames
{
    /// <summary>
    /// <c>PJSIP/1008-00000001</c> → 1008 (Device); <c>Local/1008@queue-agents-00000000;1</c> → 1008 (Local).
    /// The <c>;2</c> half of a Local channel is the dialplan side, not a leg toward the phone: false.
    /// </summary>
    public static bool TryGetExtension(ReadOnlySpan<char> channelName, out ReadOnlySpan<char> extension, out LegKind kind)
    {
        extension = default;
        kind = LegKind.Device;
        var slash = channelName.IndexOf('/');
        if (slash <= 0)
        {
            return false;
        }
        var technology = channelName[..slash];
        var rest = channelName[(slash + 1)..];

        if (technology.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            var at = rest.IndexOf('@');
            if (at <= 0 || !rest.EndsWith(";1"))
            {
                return false;
            }
            extension = rest[..at];
            kind = LegKind.Local;
            return true;
        }

        // The last '-' separates Asterisk's sequence suffix; endpoint names may contain '-' themselves.
        var dash = rest.LastIndexOf('-');
        if (dash <= 0)
        {
            return false;
        }
        extension = rest[..dash];
        return true;
    }

    /// <summary>The other half of a Local channel: <c>…;2</c> ↔ <c>…;1</c>; null for other channels.</summary>
    public static string? LocalPeer(string channelName) =>
        channelName.StartsWith("Local/", StringComparison.OrdinalIgnoreCase) && channelName.Length > 2 && channelName[^2] == ';'
            ? channelName[^1] switch
            {
                '1' => channelName[..^1] + "2",
                '2' => channelName[..^1] + "1",
                _ => null,
            }
            : null;
}

/// <summary>The configured extensions, matched against channel names without allocating.</summary>
public sealed class MonitoredExtensions
{
    private readonly HashSet<string> _extensions;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public MonitoredExtensions(IEnumerable<string> extensions)
    {
        _extensions = new HashSet<string>(extensions.Select(e => e.Trim()), StringComparer.OrdinalIgnoreCase);
        _lookup = _extensions.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyCollection<string> All => _extensions;

    public bool Contains(string extension) => _extensions.Contains(extension);

    /// <summary>
    /// The monitored extension a channel rings, if any (as the configured string, so it is not
    /// allocated again). A second endpoint of the same extension, named <c>1008-web</c> (a browser
    /// phone beside the desk phone), counts as 1008 unless it is monitored itself.
    /// </summary>
    public bool TryMatch(string channelName, out string extension, out LegKind kind)
    {
        if (ChannelNames.TryGetExtension(channelName, out var span, out kind))
        {
            var dash = span.IndexOf('-');
            if (_lookup.TryGetValue(span, out var actual) || (dash > 0 && _lookup.TryGetValue(span[..dash], out actual)))
            {
                extension = actual;
                return true;
            }
        }
        extension = "";
        return false;
    }
}
