using System.Net;
using CallerIdGateway.Auth;
using Microsoft.AspNetCore.Http;

namespace CallerIdGateway.Tests.Auth;

public class ClientAddressTests
{
    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10")]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10")]               // IPv4 on a dual-stack socket
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]          // the same host's network: one allowance
    [InlineData("::1", "::1")]
    public void Throttling_counts_an_IPv6_client_by_its_64_bit_prefix(string address, string expected)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(address);

        Assert.Equal(expected, ClientAddress.Of(http));
    }
}
