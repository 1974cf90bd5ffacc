using CallerIdGateway.Data;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Customers;

/// <summary>Runs <see cref="PhoneIndex.SynchronizeAsync"/> every <c>Database:PhoneIndexSyncInterval</c> (longer when one pass takes over a tenth of that).</summary>
internal sealed partial class PhoneIndexSyncService(
    PhoneIndex index, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<PhoneIndexSyncService> logger, Hosting.GatewayMetrics metrics,
    Scaling.IndexSyncLock? syncLock = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                // With several instances, one keeps the index in step; the others ask again at the next interval (docs/scaling.md).
                if (syncLock is null || await syncLock.IsMineAsync(stoppingToken))
                {
                    await index.SynchronizeAsync(stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be restarting; lookups keep using the index as it is until the next pass.
                LogFailed(logger, e);
            }
            // A pass compares every customer; on a large table keep it to a tenth of the database's time.
            var pass = time.GetElapsedTime(started);
            metrics.PhoneIndexSynchronized(pass);
            var pause = TimeSpan.FromTicks(Math.Max(options.Value.PhoneIndexSyncInterval.Ticks, pass.Ticks * 9));
            await Task.Delay(pause, time, stoppingToken);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Phone number index sync failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
