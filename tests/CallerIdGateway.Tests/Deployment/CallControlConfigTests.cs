using CallerIdGateway.CallControl;
using CallerIdGateway.Sources;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>asterisk-config/ has the least-privileged call-control users the gateway's CallControl defaults name, and the dialplan they dial into.</summary>
public class CallControlConfigTests
{
    private static readonly CallControlOptions Control = new();

    [Fact]
    public void The_ari_control_user_may_write_and_is_not_the_watching_user_which_stays_read_only()
    {
        var ari = Repository.AsteriskConfig("ari.conf");

        Assert.NotEqual(new AriSourceOptions().Username, Control.Ari.Username);
        Assert.Equal("yes", ari.Single(new AriSourceOptions().Username)["read_only"]);
        var control = ari.Single(Control.Ari.Username);
        Assert.Equal("user", control["type"]);
        Assert.Equal("no", control["read_only"]);
        Assert.NotEqual(ari.Single(new AriSourceOptions().Username)["password"], control["password"]);
    }

    [Fact]
    public void The_ami_control_user_may_originate_and_act_on_calls_and_nothing_more()
    {
        var manager = Repository.AsteriskConfig("manager.conf");
        var control = manager.Single(Control.Ami.Username);

        Assert.NotEqual(new AmiSourceOptions().Username, Control.Ami.Username);
        // Originate needs "originate"; Hangup (system|call) and BlindTransfer (call) need "call"; OriginateResponse is read as a call event.
        Assert.Equal(["call", "originate"], Classes(control["write"]));
        Assert.Equal(["call"], Classes(control["read"]));
        Assert.Contains("0.0.0.0/0.0.0.0", control.All("deny"));
        Assert.Contains(control.All("permit"), p => p.StartsWith("127.0.0.1/", StringComparison.Ordinal));
        Assert.NotEqual(manager.Single(new AmiSourceOptions().Username)["secret"], control["secret"]);
    }

    [Fact]
    public void The_default_context_dials_outside_numbers_and_the_colleagues_extension_and_the_default_endpoint_exists()
    {
        var extensions = Repository.AsteriskConfig("extensions.conf");
        var pjsip = Repository.AsteriskConfig("pjsip.conf");

        var extens = extensions.Named(Control.Context).SelectMany(s => s.All("exten")).Select(v => v.Split(',')[0].Trim()).ToList();
        Assert.Contains("_0X.", extens);
        Assert.Contains("1009", extens);
        Assert.StartsWith("PJSIP/", Control.EndpointOf("1008"), StringComparison.Ordinal);
        Assert.NotNull(pjsip.OfType(Control.EndpointOf("1008")["PJSIP/".Length..], "endpoint"));
    }

    private static string[] Classes(string? list) => [.. (list ?? "").Split(',', StringSplitOptions.TrimEntries).Order()];
}
