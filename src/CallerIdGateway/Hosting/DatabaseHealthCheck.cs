using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CallerIdGateway.Hosting;

/// <summary>
/// Readiness of the database, answered within <see cref="Timeout"/> even when the server is frozen
/// (the driver's own timeouts are 15 s and more). One probe at a time: while one hangs on a stalled
/// server, later checks wait on it instead of piling up more.
/// </summary>
internal sealed class DatabaseHealthCheck(IServiceScopeFactory scopes, PhoneIndex index, CallerResolver resolver, TimeProvider time) : IHealthCheck
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(800);

    private readonly Lock _lock = new();
    private Task<bool>? _probe;
    private double _latencyMilliseconds;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["phoneIndexSynchronizedAt"] = index.LastSynchronizedAt?.ToString("O") ?? "never",
            ["lookupCircuit"] = resolver.IsDatabaseShunned ? "open" : "closed",
        };
        bool answers;
        try
        {
            answers = await CurrentProbe().WaitAsync(Timeout, time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The database is not answering (no answer within {Timeout.TotalMilliseconds:0} ms).", data: data);
        }
        data["latencyMs"] = Math.Round(Volatile.Read(ref _latencyMilliseconds), 1); // the last probe's round trip
        return answers
            ? HealthCheckResult.Healthy("The database answers.", data)
            : HealthCheckResult.Unhealthy("The database does not answer.", data: data);
    }

    private Task<bool> CurrentProbe()
    {
        lock (_lock)
        {
            if (_probe is not { IsCompleted: false })
            {
                _probe = Task.Run(ProbeAsync, CancellationToken.None);
            }
            return _probe;
        }
    }

    private async Task<bool> ProbeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var started = time.GetTimestamp();
        var answers = await db.Database.CanConnectAsync(CancellationToken.None);
        Volatile.Write(ref _latencyMilliseconds, time.GetElapsedTime(started).TotalMilliseconds);
        return answers;
    }
}
