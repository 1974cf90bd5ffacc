using System.Text;
using CallerIdGateway.Testing;

namespace CallerIdGateway.IntegrationTests.TestAsterisk;

/// <summary>The parts of a captured AMI session (ami.txt) that a test server replays.</summary>
public static class TestAmiCaptures
{
    private static readonly byte[] EndOfPacket = "\r\n\r\n"u8.ToArray();
    private static readonly byte[] Goodbye = "\r\n\r\nResponse: Goodbye\r\n"u8.ToArray();

    /// <summary>The version in the capture's banner line (<c>Asterisk Call Manager/11.0.0</c> gives 11.0.0).</summary>
    public static string BannerVersion(string version)
    {
        var bytes = AsteriskFixtures.AmiBytes(version, "answered");
        var banner = Encoding.UTF8.GetString(bytes, 0, Array.IndexOf(bytes, (byte)'\n')).TrimEnd('\r');
        return banner[(banner.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// The event stream of a scenario, byte for byte: everything after the capture's login
    /// response, up to (without) the response to its closing Logoff.
    /// </summary>
    public static byte[] EventStream(string version, string scenario) =>
        AfterLogin(AsteriskFixtures.AmiBytes(version, scenario));

    /// <summary>
    /// The answer to CoreShowChannels captured while 1008 was ringing (answered scenario):
    /// the list response, one CoreShowChannel per channel and the closing event, with the
    /// capture's ActionID replaced by <paramref name="actionId"/>.
    /// </summary>
    public static byte[] CoreShowChannels(string version, string actionId)
    {
        var bytes = AfterLogin(File.ReadAllBytes(AsteriskFixtures.PathOf(version, "answered", "ami-coreshowchannels.txt")));
        return Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("ActionID: resync-1\r\n", $"ActionID: {actionId}\r\n"));
    }

    private static byte[] AfterLogin(byte[] capture)
    {
        var bannerEnd = Array.IndexOf(capture, (byte)'\n') + 1;
        var loginEnd = bannerEnd + capture.AsSpan(bannerEnd).IndexOf(EndOfPacket) + EndOfPacket.Length;
        var goodbye = capture.AsSpan().LastIndexOf(Goodbye);
        var end = goodbye < 0 ? capture.Length : goodbye + EndOfPacket.Length;
        return capture[loginEnd..end];
    }
}
