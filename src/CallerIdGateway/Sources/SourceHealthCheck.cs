using System.Globalization;
using CallerIdGateway.Asterisk;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallerIdGateway.Sources;

/// <summary>
/// What a health entry says about one Asterisk source: its state, since when, the last event and the
/// last error (as logged, never a password). Connected is healthy; anything else is degraded, so the
/// gateway stays ready (lookups and the dialplan hooks still work) while saying what is wrong.
/// </summary>
internal sealed class SourceHealthCheck(string name, string section, bool enabled, string target, AsteriskConnection? connection) : IHealthCheck
{
    /// <summary>A check of <paramref name="source"/> as it is now (health checks are created per run).</summary>
    public static SourceHealthCheck Of<TConnection>(AsteriskCallSource<TConnection> source, string name, string section)
        where TConnection : AsteriskConnection =>
        new(name, section, source.Enabled, source.Enabled ? source.Target : "", source.Connection);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(enabled ? Report() : Off());

    private HealthCheckResult Off() =>
        HealthCheckResult.Healthy($"{name} is off ({section}:Enabled is false).", new Dictionary<string, object> { ["enabled"] = false });

    private HealthCheckResult Report()
    {
        var state = connection is null ? "starting" : StateName(connection.State, connection.LastError);
        var lastError = connection?.LastError;
        var data = new Dictionary<string, object>
        {
            ["enabled"] = true,
            ["state"] = state,
            ["target"] = target,
            ["connectedSince"] = Time(connection?.ConnectedSince),
            ["lastEventAt"] = Time(connection?.LastEventAt),
            ["reconnects"] = Math.Max(0, (connection?.Sessions ?? 0) - 1),
        };
        if (lastError is not null)
        {
            data["lastError"] = lastError.Message;
            data["lastErrorAt"] = Time(lastError.At);
        }
        var why = lastError is null ? "" : ": " + lastError.Message;
        return state switch
        {
            "connected" => HealthCheckResult.Healthy($"{name} connected to {target} since {Time(connection?.ConnectedSince)}.", data),
            "authenticationFailed" => HealthCheckResult.Degraded(
                $"{name} authentication failed{why}. Check {section}:Username and the password/secret against the PBX.", data: data),
            "replaced" => HealthCheckResult.Degraded($"{name} stopped{why}; give each gateway instance its own {section}:Application.", data: data),
            "starting" => HealthCheckResult.Degraded($"{name} is starting.", data: data),
            _ => HealthCheckResult.Degraded($"{name} is {state} to {target}{why}.", data: data),
        };
    }

    /// <summary>A source that is down after having tried is reconnecting, not merely disconnected.</summary>
    internal static string StateName(ConnectionState state, LastError? lastError) => state switch
    {
        ConnectionState.Disconnected => lastError is null ? "disconnected" : "reconnecting",
        ConnectionState.AuthenticationFailed => "authenticationFailed",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Time(DateTimeOffset? at) => at?.ToString("O", CultureInfo.InvariantCulture) ?? "never";
}
