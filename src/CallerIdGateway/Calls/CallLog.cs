using System.Text.Json;
using System.Threading.Channels;
using CallerIdGateway.Contracts;
using CallerIdGateway.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CallerIdGateway.Calls;

/// <summary>
/// Keeps the last payload of each active call in memory, so a client that (re)connects gets the calls
/// it missed, and writes every call change to <c>gateway_calls</c> (one row per call and extension).
/// The writes happen behind the push: changes queue here and one loop stores them in batches, so a
/// call storm costs a few round trips to the database, not two per change, and no screen waits for them.
/// </summary>
public sealed partial class CallLog(IServiceScopeFactory scopes, IOptions<JsonOptions> json, ILogger<CallLog> logger)
    : BackgroundService, ICallNotifier
{
    private const int MaxBatch = 500;

    private readonly Dictionary<(string, string), CustomerCallData> _active = [];
    private readonly Lock _lock = new();
    private readonly Channel<(CallInfo Call, CustomerCallData Data)> _queue =
        Channel.CreateUnbounded<(CallInfo, CustomerCallData)>(new UnboundedChannelOptions { SingleReader = true });
    private long _queued;
    private long _stored;
    private TaskCompletionSource _batchStored = NewSignal();

    /// <summary>The latest payload of every call ringing or answered now.</summary>
    public IReadOnlyList<CustomerCallData> Active
    {
        get
        {
            lock (_lock)
            {
                return [.. _active.Values.OrderBy(d => d.Call!.StartedAt)];
            }
        }
    }

    public Task NotifyAsync(CallInfo call, CustomerCallData data, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (call.IsActive)
            {
                _active[(call.Id, call.Extension)] = data;
            }
            else
            {
                _active.Remove((call.Id, call.Extension));
            }
            Interlocked.Increment(ref _queued);
            if (!_queue.Writer.TryWrite((call, data)))
            {
                Interlocked.Increment(ref _stored); // shutting down: the history line is lost, the push is not
            }
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits (up to <paramref name="timeout"/>) until every change queued before this call is stored.</summary>
    public async Task FlushAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = Interlocked.Read(ref _queued);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (true)
            {
                // Take the signal before reading the count: a batch stored in between completes it.
                var signal = Volatile.Read(ref _batchStored).Task;
                if (Interlocked.Read(ref _stored) >= target)
                {
                    return;
                }
                await signal.WaitAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The database is slow or away: answer with what is stored rather than not at all.
        }
    }

    /// <summary>The newest calls of the given extensions (null = all), missed ones included.</summary>
    public async Task<IReadOnlyList<CustomerCallData>> RecentAsync(IReadOnlyCollection<string>? extensions, int limit, CancellationToken cancellationToken)
    {
        // Read your writes: a client that saw a call end expects it in the history.
        await FlushAsync(TimeSpan.FromSeconds(2), cancellationToken);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var query = db.Calls.AsNoTracking();
        if (extensions is not null)
        {
            query = query.Where(c => extensions.Contains(c.Extension));
        }
        var payloads = await query.OrderByDescending(c => c.StartedAt).ThenByDescending(c => c.Id).Take(limit).Select(c => c.Payload).ToListAsync(cancellationToken);
        return payloads.Select(p => JsonSerializer.Deserialize<CustomerCallData>(p, json.Value.SerializerOptions)!).ToList();
    }

    /// <summary>Runs the call log's queries and payload serialization once (see <see cref="CallPathWarmUp"/>).</summary>
    public async Task WarmUpAsync(CustomerCallData sample, CancellationToken cancellationToken)
    {
        _ = JsonSerializer.Serialize(sample, json.Value.SerializerOptions);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        // The upsert runs once too, rolled back: no row stays.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var row = new CallRecord
            {
                CallId = "warm-up", Extension = "warm-up", CallerNumber = "", Lookup = "", State = "", Source = "", Payload = "",
            };
            await CallLogSql.UpsertAsync(db, [row], cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
        }
        _ = await RecentAsync(null, 1, cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        // Store what is queued, then stop; the host's shutdown timeout bounds the wait.
        lock (_lock)
        {
            _queue.Writer.TryComplete();
        }
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Not cancelled by stoppingToken: the loop ends when StopAsync completes the queue and the
        // last batch is stored, so what was queued before shutdown is kept.
        var batch = new List<(CallInfo Call, CustomerCallData Data)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var change))
            {
                batch.Add(change);
            }
            try
            {
                await StoreAsync(batch);
            }
            catch (Exception e)
            {
                // The push already went out; a database hiccup costs only these history lines.
                LogStoreFailed(logger, batch.Count, e);
            }
            Interlocked.Add(ref _stored, batch.Count);
            Interlocked.Exchange(ref _batchStored, NewSignal()).TrySetResult();
            batch.Clear();
        }
    }

    private async Task StoreAsync(List<(CallInfo Call, CustomerCallData Data)> batch)
    {
        // In queue order, so the last change of a call in the batch is the one that stays.
        var rows = new Dictionary<(string, string), CallRecord>(batch.Count);
        foreach (var (call, data) in batch)
        {
            rows[(call.Id, call.Extension)] = Row(call, data);
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        await CallLogSql.UpsertAsync(db, rows.Values, CancellationToken.None);
    }

    private CallRecord Row(CallInfo call, CustomerCallData data) => new()
    {
        CallId = call.Id,
        Extension = call.Extension,
        CallerNumber = Truncate(call.RemoteNumber, 80), // the other party: the caller, the dialled number, the colleague
        NormalizedNumber = call.NormalizedNumber,
        CustomerId = data.Customer?.Id,
        Lookup = ContractJson.Name(data.Lookup),
        State = data.Call!.State,
        Source = data.Call.Source,
        StartedAt = call.StartedAt.UtcDateTime,
        AnsweredAt = call.AnsweredAt?.UtcDateTime,
        EndedAt = call.EndedAt?.UtcDateTime,
        Payload = JsonSerializer.Serialize(data, json.Value.SerializerOptions),
    };

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(LogLevel.Warning, "Could not write {Count} call changes to the call log")]
    private static partial void LogStoreFailed(ILogger logger, int count, Exception exception);
}
