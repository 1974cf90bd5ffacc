using System.Globalization;
using CallerIdGateway.Customers;
using CallerIdGateway.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Hosting;

/// <summary>
/// When the number index last caught up with <c>customers.phone_numbers</c>, and how far behind it is.
/// Behind is degraded, not unhealthy: lookups keep answering from the index as it was.
/// </summary>
internal sealed class PhoneIndexHealthCheck(PhoneIndex index, IOptions<DatabaseOptions> options, TimeProvider time, Scaling.IndexSyncLock? syncLock = null) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var interval = options.Value.PhoneIndexSyncInterval;
        var data = new Dictionary<string, object> { ["syncInterval"] = interval };
        if (syncLock?.HeldElsewhereBy is { } holder)
        {
            // Several instances (docs/scaling.md): the holder's own health tells how far behind the index is.
            data["keptInStepBy"] = holder;
            return Task.FromResult(HealthCheckResult.Healthy($"Instance {holder} keeps the number index in step; this instance reads it.", data));
        }
        if (index.LastSynchronizedAt is not { } last)
        {
            data["lastSynchronizedAt"] = "never";
            return Task.FromResult(HealthCheckResult.Degraded(
                "The number index has not finished a pass since the start; lookups answer from the index as it was.", data: data));
        }
        var lag = time.GetUtcNow() - last;
        data["lastSynchronizedAt"] = last.ToString("O", CultureInfo.InvariantCulture);
        data["lagSeconds"] = Math.Round(lag.TotalSeconds, 1);
        // A pass over a large table may take a while (the sync then pauses nine times as long): allow several intervals and a minute.
        var allowed = interval * 4 + TimeSpan.FromMinutes(1);
        return Task.FromResult(lag <= allowed
            ? HealthCheckResult.Healthy($"The number index follows customers.phone_numbers (last pass {lag.TotalSeconds:0} s ago).", data)
            : HealthCheckResult.Degraded(
                $"The number index last caught up {lag.TotalSeconds:0} s ago (Database:PhoneIndexSyncInterval is {interval}); see the log for 'Phone number index sync failed'.",
                data: data));
    }
}
