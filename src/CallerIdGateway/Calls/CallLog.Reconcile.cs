using System.Text.Json;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;

namespace CallerIdGateway.Calls;

public sealed partial class CallLog
{
    private static readonly string Ringing = ContractJson.Name(CallState.Ringing);
    private static readonly string Answered = ContractJson.Name(CallState.Answered);

    /// <summary>
    /// Closes the calls an earlier run left ringing or answered (a stop, a crash) that the PBX no
    /// longer has: ringing ones become missed, answered ones ended, both with the time of this
    /// reconcile as their end (when the gateway noticed; the real end is not known). Runs after the
    /// journal's changes are stored, and is retried while the database is away.
    /// </summary>
    /// <param name="stillThere">Calls (id, extension) the tracker has now, after the sources' resync: left alone.</param>
    /// <returns>How many calls were closed.</returns>
    public async Task<int> ReconcileAsync(IReadOnlySet<(string CallId, string Extension)> stillThere, CancellationToken cancellationToken)
    {
        await WaitStoredAsync(Interlocked.Read(ref _replayedThrough), stopIfAway: false, cancellationToken);
        var retry = FirstRetry;
        while (true)
        {
            try
            {
                await _writes.WaitAsync(cancellationToken);
                try
                {
                    return await CloseLeftOpenAsync(stillThere, cancellationToken);
                }
                finally
                {
                    _writes.Release();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReconcileFailed(_logger, e.Message);
            }
            await Task.Delay(retry, _time, cancellationToken);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
        }
    }

    private async Task<int> CloseLeftOpenAsync(IReadOnlySet<(string CallId, string Extension)> stillThere, CancellationToken cancellationToken)
    {
        var noticedAt = _time.GetUtcNow();
        var before = StartedAt.UtcDateTime;
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var open = await db.Calls
            .Where(c => (c.State == Ringing || c.State == Answered) && c.StartedAt < before)
            .ToListAsync(cancellationToken);
        var closed = 0;
        foreach (var row in open)
        {
            var key = (row.CallId, row.Extension);
            bool changing;
            lock (_lock)
            {
                changing = _pending.ContainsKey(key); // this run has news of it, on its way to the database
            }
            if (stillThere.Contains(key) || changing)
            {
                continue;
            }
            var state = row.State == Answered ? CallState.Ended : CallState.Missed;
            var data = JsonSerializer.Deserialize<CustomerCallData>(row.Payload, _json)!;
            row.State = ContractJson.Name(state);
            row.EndedAt = noticedAt.UtcDateTime;
            row.Payload = JsonSerializer.Serialize(data with { Call = data.Call! with { State = state, EndedAt = noticedAt } }, _json);
            closed++;
        }
        await db.SaveChangesAsync(cancellationToken);
        LogReconciled(_logger, closed, open.Count - closed);
        return closed;
    }

    [LoggerMessage(LogLevel.Information, "Call log: {Closed} calls an earlier run left ringing or answered are closed (missed or ended now); {Kept} are still up on the PBX")]
    private static partial void LogReconciled(ILogger logger, int closed, int kept);

    [LoggerMessage(LogLevel.Warning, "Call log: could not close the calls an earlier run left open ({Reason}); retrying")]
    private static partial void LogReconcileFailed(ILogger logger, string reason);
}
