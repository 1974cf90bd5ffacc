using System.Net;

namespace CallerIdGateway.Auth;

/// <summary>Who a request comes from, for throttling: the peer's address (the client's, when a configured proxy forwarded it).</summary>
public static class ClientAddress
{
    /// <summary>
    /// IPv4 as is; IPv6 by its /64 prefix, since one host can use a whole /64 and would otherwise
    /// get a fresh allowance from each address in it.
    /// </summary>
    public static string Of(HttpContext http)
    {
        var address = http.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(address))
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes) + "/64";
        }
        return address.ToString();
    }
}
