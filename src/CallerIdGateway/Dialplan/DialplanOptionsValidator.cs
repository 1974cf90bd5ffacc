using System.Net;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Dialplan;

/// <summary>Checks what data annotations cannot say, naming the key and the bad value.</summary>
internal sealed class DialplanOptionsValidator : IValidateOptions<DialplanOptions>, IValidateOptions<FastAgiOptions>
{
    public const int MinSecretLength = 16;

    public ValidateOptionsResult Validate(string? name, DialplanOptions options)
    {
        var failures = new List<string>();
        foreach (var address in options.AllowedAddresses)
        {
            if (!DialplanAccess.TryParseNetwork(address, out _))
            {
                failures.Add($"Dialplan:AllowedAddresses: '{address}' is not an IP network; write e.g. 127.0.0.1/32, 192.168.1.10 or 10.0.0.0/8.");
            }
        }
        if (options.Enabled && options.Secret.Length == 0
            && options.AllowedAddresses.FirstOrDefault(a => DialplanAccess.TryParseNetwork(a, out var network) && !DialplanAccess.IsLoopback(network)) is { } remote)
        {
            // Beyond this host, anything on the allowed networks — a browser tab too — could report calls and ask who owns a number.
            failures.Add($"Dialplan:Secret is required when Dialplan:AllowedAddresses allows more than this host ('{remote}'): set 16+ characters and send secret= from the dialplan.");
        }
        if (options.Secret.Length > 0
            && (options.Secret.Length < MinSecretLength || !options.Secret.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')))
        {
            // URL-safe characters only: the dialplan pastes the secret into a URL or form field unencoded.
            failures.Add($"Dialplan:Secret must be at least {MinSecretLength} characters of letters, digits, - _ . ~ (or empty for none).");
        }
        if (!Enum.IsDefined(options.CallerNameScript))
        {
            failures.Add("Dialplan:CallerNameScript must be Original or Latin.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, FastAgiOptions options) =>
        IPAddress.TryParse(options.BindAddress, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Dialplan:FastAgi:BindAddress: '{options.BindAddress}' is not an IP address such as 127.0.0.1, 0.0.0.0 or ::.");
}
