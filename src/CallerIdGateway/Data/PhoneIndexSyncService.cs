using Microsoft.Extensions.Options;

namespace CallerIdGateway.Data;

/// <summary>Runs <see cref="PhoneIndex.SynchronizeAsync"/> every <c>Database:PhoneIndexSyncInterval</c>.</summary>
internal sealed partial class PhoneIndexSyncService(PhoneIndex index, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<PhoneIndexSyncService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PhoneIndexSyncInterval, time);
        do
        {
            try
            {
                await index.SynchronizeAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be restarting; lookups keep using the index as it is until the next pass.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(LogLevel.Warning, "Phone number index sync failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
