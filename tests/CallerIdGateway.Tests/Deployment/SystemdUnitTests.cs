using CallerIdGateway.Testing;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>deploy/: the systemd unit is hardened as docs/install.md promises, and its env file sets only real settings.</summary>
public class SystemdUnitTests
{
    private static readonly AsteriskConf Unit = AsteriskConf.Parse(Repository.Read("deploy/callerid-gateway.service"));

    [Theory]
    [InlineData("User", "callerid-gateway")]
    [InlineData("EnvironmentFile", "/etc/callerid-gateway/callerid-gateway.env")]
    [InlineData("Restart", "on-failure")]
    [InlineData("NoNewPrivileges", "yes")]
    [InlineData("ProtectSystem", "strict")]
    [InlineData("ProtectHome", "yes")]
    [InlineData("PrivateTmp", "yes")]
    [InlineData("StateDirectory", "callerid-gateway")]
    [InlineData("WorkingDirectory", "/var/lib/callerid-gateway")] // the state directory: data lands there, not among the program's files
    [InlineData("CapabilityBoundingSet", "")]
    public void The_service_runs_as_its_own_user_from_its_env_file_and_is_hardened(string key, string value) =>
        Assert.Equal(value, Unit.Single("Service")[key]);

    [Fact]
    public void The_jit_is_not_forbidden_to_write_code() =>
        Assert.NotEqual("yes", Unit.Single("Service")["MemoryDenyWriteExecute"]);

    [Fact]
    public void The_example_env_file_sets_only_settings_of_the_gateway() =>
        Assert.Empty(Repository.EnvFile("deploy/callerid-gateway.env").Select(e => GatewaySettings.Problem(e.Key, e.Value)).OfType<string>());

    [Fact]
    public void The_example_env_file_uses_the_asterisk_config_placeholders()
    {
        var env = Repository.EnvFile("deploy/callerid-gateway.env");

        Assert.Equal(Repository.AsteriskConfig("ari.conf").Single("gateway")["password"], env["Asterisk__Ari__Password"]);
        Assert.Equal(Repository.AsteriskConfig("manager.conf").Single("gateway")["secret"], env["Asterisk__Ami__Secret"]);
        Assert.Equal(Repository.AsteriskConfig("extensions.conf").Single("globals")["GATEWAY_SECRET"], env["Dialplan__Secret"]);
    }
}
