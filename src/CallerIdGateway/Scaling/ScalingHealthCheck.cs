using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CallerIdGateway.Scaling;

/// <summary>
/// Whether this instance shares its state with the others. Without Redis it still serves calls, so
/// an outage is Degraded (HTTP 200), never Unhealthy: a proxy must not take every instance out at once.
/// </summary>
internal sealed class ScalingHealthCheck(RedisConnection redis) : IHealthCheck
{
    private static readonly TimeSpan PingTimeout = TimeSpan.FromMilliseconds(800);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.Enabled)
        {
            return HealthCheckResult.Healthy("Off: this instance works alone (Scaling:Redis:Configuration is empty).");
        }
        var data = new Dictionary<string, object> { ["instance"] = redis.InstanceName, ["redis"] = redis.Servers };
        try
        {
            if (redis.IsConnected)
            {
                var latency = await redis.Database.PingAsync().WaitAsync(PingTimeout, cancellationToken);
                data["pingMilliseconds"] = Math.Round(latency.TotalMilliseconds, 1);
                return HealthCheckResult.Healthy("Redis answers: cookie keys, sign-outs, hook reports and the number index lock are shared.", data);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
        }
        return HealthCheckResult.Degraded(
            "Redis does not answer: this instance works on its own until it does (hook reports reach only its own dashboards, " +
            "sign-outs and new cookie keys stay here, every instance syncs the number index).", data: data);
    }
}
