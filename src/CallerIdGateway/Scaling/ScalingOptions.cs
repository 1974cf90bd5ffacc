using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Section <c>Scaling</c>: several gateway instances sharing one Redis (docs/scaling.md).
/// Off while <c>Scaling:Redis:Configuration</c> is empty: a single instance needs no Redis.
/// </summary>
public sealed class ScalingOptions
{
    public const string Section = "Scaling";

    /// <summary>This instance's name in logs, health and the index lock. Default: the host name and process id.</summary>
    public string InstanceName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public RedisScalingOptions Redis { get; set; } = new();

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis.Configuration);
}

/// <summary>Section <c>Scaling:Redis</c>.</summary>
public sealed class RedisScalingOptions
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…</c>; empty: scaling off.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every key and channel, so that several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "callerid-gateway:";

    /// <summary>How long the number index lock outlives an instance that died holding it (renewed while a pass runs).</summary>
    public TimeSpan IndexLockLease { get; set; } = TimeSpan.FromSeconds(30);
}

internal sealed partial class ScalingOptionsValidator : IValidateOptions<ScalingOptions>
{
    public ValidateOptionsResult Validate(string? name, ScalingOptions options)
    {
        var failures = new List<string>();
        if (!NamePattern().IsMatch(options.InstanceName))
        {
            failures.Add("Scaling:InstanceName must be 1 to 64 letters, digits, - _ . or :.");
        }
        if (options.Enabled)
        {
            try
            {
                if (ConfigurationOptions.Parse(options.Redis.Configuration!).EndPoints.Count == 0)
                {
                    failures.Add("Scaling:Redis:Configuration names no server; give host:port, e.g. redis:6379.");
                }
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException)
            {
                // The message names the option that is wrong, never the password.
                failures.Add($"Scaling:Redis:Configuration is not a Redis configuration string such as redis:6379,password=…: {e.Message}");
            }
        }
        if (!PrefixPattern().IsMatch(options.Redis.KeyPrefix))
        {
            failures.Add("Scaling:Redis:KeyPrefix must be 1 to 64 letters, digits, - _ . or :.");
        }
        if (options.Redis.IndexLockLease < TimeSpan.FromSeconds(3) || options.Redis.IndexLockLease > TimeSpan.FromMinutes(30))
        {
            failures.Add("Scaling:Redis:IndexLockLease must be between 00:00:03 and 00:30:00.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_.:-]{1,64}$")]
    private static partial Regex PrefixPattern();
}
