using CallerIdGateway.Calls;

namespace CallerIdGateway.Sources;

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
