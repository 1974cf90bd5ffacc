using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan;

/// <summary>
/// Who may call the dialplan hooks: a source address in <see cref="DialplanOptions.AllowedAddresses"/>
/// and, when <see cref="DialplanOptions.Secret"/> is set, the secret. The agent cookie and API keys
/// play no part: a PBX dialplan has neither, and an agent's key must not be able to report calls.
/// </summary>
public sealed class DialplanAccess
{
    public const string SecretHeader = "X-Dialplan-Secret";
    public const string SecretField = "secret";

    private readonly IPNetwork[] _networks;
    private readonly byte[]? _secretHash;

    public DialplanAccess(IOptions<DialplanOptions> options)
    {
        Enabled = options.Value.Enabled;
        _networks = [.. options.Value.AllowedAddresses.Select(a => TryParseNetwork(a, out var network) ? network : throw new OptionsValidationException(
            DialplanOptions.Section, typeof(DialplanOptions), [$"Dialplan:AllowedAddresses: '{a}' is not an IP network."]))];
        _secretHash = options.Value.Secret.Length > 0 ? Hash(options.Value.Secret) : null;
    }

    public bool Enabled { get; }

    public bool RequiresSecret => _secretHash is not null;

    public bool IsAllowed(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }
        // Kestrel on a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        foreach (var network in _networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when no secret is configured, or <paramref name="offered"/> is it (compared in constant time).</summary>
    public bool IsSecret(string? offered) =>
        _secretHash is null || (offered is { Length: > 0 } && CryptographicOperations.FixedTimeEquals(Hash(offered), _secretHash));

    /// <summary>
    /// The header that shows a request comes from a web browser, or null. Asterisk's <c>CURL()</c>
    /// (libcurl) and scripts send none of them; browsers send <c>Origin</c> on every POST and the
    /// <c>Sec-Fetch-*</c> headers on every request to a trustworthy origin such as localhost, so a page
    /// open on the PBX host cannot report a fake call to a hook that needs no secret.
    /// </summary>
    public static string? BrowserHeader(HttpRequest request) =>
        BrowserHeaders.FirstOrDefault(h => request.Headers.ContainsKey(h));

    private static readonly string[] BrowserHeaders = ["Origin", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest"];

    /// <summary>Whether every address of <paramref name="network"/> is this host's (127.0.0.0/8, ::1).</summary>
    public static bool IsLoopback(IPNetwork network)
    {
        var address = network.BaseAddress.IsIPv4MappedToIPv6 ? network.BaseAddress.MapToIPv4() : network.BaseAddress;
        var prefix = network.BaseAddress.IsIPv4MappedToIPv6 ? network.PrefixLength - 96 : network.PrefixLength;
        return IPAddress.IsLoopback(address) && prefix >= (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 8 : 128);
    }

    /// <summary><c>10.0.0.0/8</c>, or a single address (<c>192.168.1.10</c>, <c>::1</c>) meaning just that host.</summary>
    public static bool TryParseNetwork(string? text, out IPNetwork network)
    {
        network = default;
        var trimmed = text?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return false;
        }
        if (trimmed.Contains('/'))
        {
            return IPNetwork.TryParse(trimmed, out network);
        }
        if (!IPAddress.TryParse(trimmed, out var address))
        {
            return false;
        }
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    // Hashing first makes both sides the same length, so the comparison time says nothing about the secret's length.
    private static byte[] Hash(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}
