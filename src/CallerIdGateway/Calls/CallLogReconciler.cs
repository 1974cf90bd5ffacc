using CallerIdGateway.Sources;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// Once per start: waits for the first resync of every enabled Asterisk source (up to
/// <see cref="CallLogOptions.CallLogReconcileWait"/>), then has the call log close what an earlier
/// run left ringing or answered and the PBX no longer has. With no source, nothing of an earlier
/// run can still be up that the gateway would hear of, so every such call is closed.
/// </summary>
internal sealed partial class CallLogReconciler(
    CallLog log,
    CallTrackerService tracker,
    IOptions<AriSourceOptions> ari,
    IOptions<AmiSourceOptions> ami,
    IOptions<CallLogOptions> options,
    TimeProvider time,
    ILogger<CallLogReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var resyncs = new List<Task>(2);
        if (ari.Value.Enabled)
        {
            resyncs.Add(tracker.FirstResyncApplied(CallSource.Ari));
        }
        if (ami.Value.Enabled)
        {
            resyncs.Add(tracker.FirstResyncApplied(CallSource.Ami));
        }
        try
        {
            await Task.WhenAll(resyncs).WaitAsync(options.Value.CallLogReconcileWait, time, stoppingToken);
        }
        catch (TimeoutException)
        {
            LogNoResync(logger, options.Value.CallLogReconcileWait);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        var stillThere = tracker.ActiveCalls.Select(c => (c.Id, c.Extension)).ToHashSet();
        try
        {
            await log.ReconcileAsync(stillThere, stoppingToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(LogLevel.Warning, "Call log: no resync from the PBX within {Wait}; closing the calls an earlier run left open with what is known")]
    private static partial void LogNoResync(ILogger logger, TimeSpan wait);
}
