using System.Collections;
using System.Globalization;
using System.Reflection;
using CallerIdGateway.Auth;
using CallerIdGateway.Calls;
using CallerIdGateway.Dashboard;
using CallerIdGateway.Data;
using CallerIdGateway.Dialplan;
using CallerIdGateway.PhoneNumbers;
using CallerIdGateway.Sources;
using Microsoft.Extensions.Configuration;

namespace CallerIdGateway.Tests.Deployment;

/// <summary>
/// The gateway's configuration keys, as its option classes define them. An environment variable
/// (<c>Asterisk__Ari__Password</c>) is a real setting when the configuration binder, told to fail on
/// anything it cannot place, binds it into its options class and the value lands on a property.
/// </summary>
public static class GatewaySettings
{
    /// <summary>Sections and the classes bound to them, the most specific first.</summary>
    private static readonly (string Section, Type Options)[] Sections =
    [
        (AriSourceOptions.Section, typeof(AriSourceOptions)),
        (AmiSourceOptions.Section, typeof(AmiSourceOptions)),
        (FastAgiOptions.Section, typeof(FastAgiOptions)),
        (DialplanOptions.Section, typeof(DialplanOptions)),
        (GatewayOptions.Section, typeof(GatewayOptions)),
        (DatabaseOptions.Section, typeof(DatabaseOptions)),
        (PhoneNumberOptions.Section, typeof(PhoneNumberOptions)),
        (AuthOptions.Section, typeof(AuthOptions)),
        (DashboardOptions.Section, typeof(DashboardOptions)),
        (CallerIdGateway.Scaling.ScalingOptions.Section, typeof(CallerIdGateway.Scaling.ScalingOptions)),
        (CallerIdGateway.Hosting.ForwardedHeadersSettings.Section, typeof(CallerIdGateway.Hosting.ForwardedHeadersSettings)),
    ];

    /// <summary>Keys the host reads itself rather than an options class.</summary>
    private static bool IsHostSetting(string key) =>
        key == "ConnectionStrings:Gateway" || key == "AllowedHosts" || key.StartsWith("Serilog:", StringComparison.Ordinal)
        || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("DOTNET_", StringComparison.Ordinal);

    /// <summary>
    /// Null when <paramref name="environmentVariable"/> is a setting of the gateway and
    /// <paramref name="value"/> lands on it; otherwise why not.
    /// </summary>
    public static string? Problem(string environmentVariable, string value)
    {
        var key = environmentVariable.Replace("__", ":", StringComparison.Ordinal);
        if (IsHostSetting(key))
        {
            return null;
        }
        var (section, type) = Sections.FirstOrDefault(s => key.StartsWith(s.Section + ":", StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            return $"{environmentVariable}: no section of the gateway is called {key.Split(':')[0]}";
        }
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection([KeyValuePair.Create(key, (string?)value)])
            .Build();
        object? options;
        try
        {
            options = configuration.GetSection(section).Get(type, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            return $"{environmentVariable}: {e.Message}";
        }
        var landed = ValueAt(options, key[(section.Length + 1)..].Split(':'));
        return string.Equals(landed, value, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"{environmentVariable}: bound as '{landed}', not '{value}'";
    }

    private static string? ValueAt(object? target, string[] path)
    {
        foreach (var segment in path)
        {
            target = target switch
            {
                null => null,
                IList list when int.TryParse(segment, out var index) => index < list.Count ? list[index] : null,
                _ => target.GetType().GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(target),
            };
        }
        return target switch
        {
            null => null,
            TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => target.ToString(),
        };
    }
}
