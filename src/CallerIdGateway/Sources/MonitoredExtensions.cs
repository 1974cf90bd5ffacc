using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

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
