using System.Net;
using CallerIdGateway.Dialplan;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Tests.Dialplan;

public class DialplanAccessTests
{
    private static DialplanAccess Access(string secret = "", params string[] allowed) =>
        new(Options.Create(new DialplanOptions { Secret = secret, AllowedAddresses = allowed.Length > 0 ? allowed : DialplanOptions.LoopbackOnly }));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:127.0.0.1", true)] // an IPv4 client on a dual-stack socket
    [InlineData("192.168.1.10", false)]
    [InlineData("127.0.0.2", false)]
    public void By_default_only_this_machine_may_call(string address, bool allowed) =>
        Assert.Equal(allowed, Access().IsAllowed(IPAddress.Parse(address)));

    [Fact]
    public void Networks_and_single_hosts_can_be_allowed()
    {
        var access = Access("", "10.20.0.0/16", "192.168.1.10", "172.16.5.9/24");

        Assert.True(access.IsAllowed(IPAddress.Parse("10.20.3.4")));
        Assert.True(access.IsAllowed(IPAddress.Parse("172.16.5.77"))); // a host with its prefix means its network
        Assert.True(access.IsAllowed(IPAddress.Parse("192.168.1.10")));
        Assert.False(access.IsAllowed(IPAddress.Parse("192.168.1.11")));
        Assert.False(access.IsAllowed(null));
    }

    [Fact]
    public void Without_a_configured_secret_none_is_needed()
    {
        var access = Access();

        Assert.False(access.RequiresSecret);
        Assert.True(access.IsSecret(null));
    }

    [Theory]
    [InlineData("tests-dialplan-secret-0123", true)]
    [InlineData("tests-dialplan-secret-0124", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void With_a_secret_only_the_secret_passes(string? offered, bool passes) =>
        Assert.Equal(passes, Access("tests-dialplan-secret-0123").IsSecret(offered));

    [Theory]
    [InlineData("127.0.0.1/32", true)]
    [InlineData("192.168.1.10", true)]
    [InlineData("fd00::/8", true)]
    [InlineData("10.0.0.0/33", false)]
    [InlineData("localhost", false)]
    [InlineData("", false)]
    public void Allowed_addresses_are_cidr_networks_or_single_addresses(string text, bool valid) =>
        Assert.Equal(valid, DialplanAccess.TryParseNetwork(text, out _));
}
