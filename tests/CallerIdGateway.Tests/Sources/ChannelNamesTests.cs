using CallerIdGateway.Calls;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Sources;

public class ChannelNamesTests
{
    private readonly MonitoredExtensions _monitored = new(["1008", "1009", "sales-team"]);

    [Theory]
    [InlineData("PJSIP/1008-00000001", "1008", LegKind.Device)]
    [InlineData("SIP/1008-0000000b", "1008", LegKind.Device)]
    [InlineData("IAX2/1008-1234", "1008", LegKind.Device)]
    [InlineData("pjsip/1009-0000abcd", "1009", LegKind.Device)]
    [InlineData("PJSIP/sales-team-00000007", "sales-team", LegKind.Device)]
    [InlineData("Local/1008@queue-agents-00000000;1", "1008", LegKind.Local)]
    [InlineData("Local/1008@from-queue-0000002a;1", "1008", LegKind.Local)]
    [InlineData("PJSIP/1008-web-0000002b", "1008", LegKind.Device)]
    [InlineData("PJSIP/1009-desk-0000002c", "1009", LegKind.Device)]
    public void Legs_toward_a_monitored_extension_are_recognized(string channel, string extension, LegKind kind)
    {
        Assert.True(_monitored.TryMatch(channel, out var actual, out var actualKind));
        Assert.Equal(extension, actual);
        Assert.Equal(kind, actualKind);
    }

    [Theory]
    [InlineData("PJSIP/provider-00000000")]
    [InlineData("PJSIP/10080-00000001")]
    [InlineData("PJSIP/100-00000001")]
    [InlineData("Local/1008@queue-agents-00000000;2")]
    [InlineData("Local/701@from-internal-00000000;1")]
    [InlineData("PJSIP/1008")]
    [InlineData("1008")]
    [InlineData("")]
    public void Other_channels_are_not_legs(string channel)
    {
        Assert.False(_monitored.TryMatch(channel, out _, out _));
    }

    [Theory]
    [InlineData("Local/1008@queue-agents-00000000;1", "Local/1008@queue-agents-00000000;2")]
    [InlineData("Local/1008@queue-agents-00000000;2", "Local/1008@queue-agents-00000000;1")]
    [InlineData("PJSIP/1008-00000001", null)]
    public void Local_halves_find_each_other(string channel, string? peer)
    {
        Assert.Equal(peer, ChannelNames.LocalPeer(channel));
    }
}
