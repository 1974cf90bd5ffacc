using System.Net;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Hosting;

/// <summary>
/// Section <c>Hosting:ForwardedHeaders</c>: the reverse proxies (TLS terminators) whose
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. From any other peer these headers
/// are ignored, so nobody can claim another address or https by sending them. Empty (the default):
/// ignored from everyone.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "Hosting:ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>127.0.0.1</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR, e.g. <c>10.0.0.0/24</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    public bool Any => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = options.KnownProxies.Where(p => !IPAddress.TryParse(p, out _))
            .Select(p => $"{ForwardedHeadersSettings.Section}:KnownProxies: '{p}' is not an IP address such as 127.0.0.1.")
            .Concat(options.KnownNetworks.Where(n => !IPNetwork.TryParse(n, out _))
                .Select(n => $"{ForwardedHeadersSettings.Section}:KnownNetworks: '{n}' is not a network such as 10.0.0.0/24."))
            .ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
