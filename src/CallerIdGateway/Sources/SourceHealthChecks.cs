using System.Globalization;
using CallerIdGateway.Asterisk;
using CallerIdGateway.Asterisk.Ami;
using CallerIdGateway.Asterisk.Ari;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Sources;

/// <summary>
/// What a health entry says about one Asterisk source: its state, since when, the last event and the
/// last error (as logged, never a password). Connected is healthy; anything else is degraded, so the
/// gateway stays ready (lookups and the dialplan hooks still work) while saying what is wrong.
/// </summary>
internal static class SourceHealth
{
    public static HealthCheckResult Off(string name, string key) =>
        HealthCheckResult.Healthy($"{name} is off ({key}:Enabled is false).", new Dictionary<string, object> { ["enabled"] = false });

    public static HealthCheckResult Report(
        string name, string key, string target, string state, DateTimeOffset? connectedSince, DateTimeOffset? lastEventAt, LastError? lastError, int sessions)
    {
        var data = new Dictionary<string, object>
        {
            ["enabled"] = true,
            ["state"] = state,
            ["target"] = target,
            ["connectedSince"] = Time(connectedSince),
            ["lastEventAt"] = Time(lastEventAt),
            ["reconnects"] = Math.Max(0, sessions - 1),
        };
        if (lastError is not null)
        {
            data["lastError"] = lastError.Message;
            data["lastErrorAt"] = Time(lastError.At);
        }
        var why = lastError is null ? "" : ": " + lastError.Message;
        return state switch
        {
            "connected" => HealthCheckResult.Healthy($"{name} connected to {target} since {Time(connectedSince)}.", data),
            "authenticationFailed" => HealthCheckResult.Degraded(
                $"{name} authentication failed{why}. Check {key}:Username and the password/secret against the PBX.", data: data),
            "replaced" => HealthCheckResult.Degraded($"{name} stopped{why}; give each gateway instance its own {key}:Application.", data: data),
            "starting" => HealthCheckResult.Degraded($"{name} is starting.", data: data),
            _ => HealthCheckResult.Degraded($"{name} is {state} to {target}{why}.", data: data),
        };
    }

    /// <summary>A source that is down after having tried is reconnecting, not merely disconnected.</summary>
    public static string StateName(string state, LastError? lastError) => state switch
    {
        "Disconnected" => lastError is null ? "disconnected" : "reconnecting",
        "AuthenticationFailed" => "authenticationFailed",
        _ => state.ToLowerInvariant(),
    };

    private static string Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
}

internal sealed class AriHealthCheck(AriCallSource ari, IOptions<AriSourceOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!ari.Enabled)
        {
            return Task.FromResult(SourceHealth.Off("ARI", AriSourceOptions.Section));
        }
        var stream = ari.Stream;
        var target = $"{new UriBuilder(options.Value.BaseUrl) { UserName = "", Password = "" }.Uri} as {options.Value.Username}, application {options.Value.Application}";
        var state = stream is null ? "starting" : SourceHealth.StateName(stream.State.ToString(), stream.LastError);
        return Task.FromResult(SourceHealth.Report(
            "ARI", AriSourceOptions.Section, target, state, stream?.ConnectedSince, stream?.LastEventAt, stream?.LastError, stream?.Sessions ?? 0));
    }
}

internal sealed class AmiHealthCheck(AmiCallSource ami, IOptions<AmiSourceOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!ami.Enabled)
        {
            return Task.FromResult(SourceHealth.Off("AMI", AmiSourceOptions.Section));
        }
        var connection = ami.Connection;
        var target = $"{options.Value.Host}:{options.Value.Port} as {options.Value.Username}";
        var state = connection is null ? "starting" : SourceHealth.StateName(connection.State.ToString(), connection.LastError);
        return Task.FromResult(SourceHealth.Report(
            "AMI", AmiSourceOptions.Section, target, state, connection?.ConnectedSince, connection?.LastEventAt, connection?.LastError, connection?.Sessions ?? 0));
    }
}
